import Telemetry
import XCTest

final class LayoutTests: XCTestCase {
    func testEveryCounterHasACellOfItsOwn() {
        var indices = [
            TelemetryLayout.startedAt, TelemetryLayout.workers, TelemetryLayout.accepted, TelemetryLayout.maxActive,
            TelemetryLayout.maxChildrenReached,
        ]
        indices += RestartReason.allCases.map(TelemetryLayout.restarts)
        indices += [false, true].map { TelemetryLayout.predictions(positive: $0) }
        indices += FeedbackOutcome.allCases.map(TelemetryLayout.feedback)
        for route in RequestRoute.allCases {
            indices += (0..<ResponseCode.columns).map { TelemetryLayout.requests(route, codeIndex: $0) }
            indices += (0..<LatencyBuckets.count).map { TelemetryLayout.durations(route, bucket: $0) }
            indices.append(TelemetryLayout.durationSum(route))
        }
        XCTAssertEqual(Set(indices).count, indices.count)
        XCTAssertEqual(Set(indices), Set(0..<TelemetryLayout.count))
    }

    func testRoutesAreTheApplicationsPathsAndAnyOtherIsOther() {
        XCTAssertEqual(RequestRoute(path: "/results"), .results)
        XCTAssertEqual(RequestRoute(path: "/v1/models/sentiment:predict"), .predict)
        XCTAssertEqual(RequestRoute(path: "/admin/"), .admin)
        XCTAssertEqual(RequestRoute(path: "/wp-login.php"), .other)
        for route in RequestRoute.allCases where route != .other { XCTAssertEqual(RequestRoute(path: route.label), route) }
    }

    func testADurationFallsInTheFirstBucketItDoesNotExceed() {
        XCTAssertEqual(LatencyBuckets.index(ofNanoseconds: 0), 0)
        XCTAssertEqual(LatencyBuckets.index(ofNanoseconds: 500_000), 0)
        XCTAssertEqual(LatencyBuckets.index(ofNanoseconds: 500_001), 1)
        XCTAssertEqual(LatencyBuckets.index(ofNanoseconds: 10_000_000_000), LatencyBuckets.bounds.count - 1)
        XCTAssertEqual(LatencyBuckets.index(ofNanoseconds: 10_000_000_001), LatencyBuckets.bounds.count)
    }

    func testAnUncountedStatusGoesToTheLastColumn() {
        XCTAssertEqual(ResponseCode.label(ResponseCode.index(of: 429)), "429")
        XCTAssertEqual(ResponseCode.index(of: 418), ResponseCode.columns - 1)
        XCTAssertEqual(ResponseCode.label(ResponseCode.columns - 1), "other")
    }
}
