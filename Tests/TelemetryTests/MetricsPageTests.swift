import Telemetry
import XCTest

final class MetricsPageTests: XCTestCase {
    func testAHistogramIsCumulativeAndEndsAtInfinityWithTheCount() {
        var page = MetricsText()
        page.family("x_seconds", .histogram, help: "x")
        page.histogram("x_seconds", [("handler", "/")], bounds: [0.1, 1], counts: [2, 3, 1], sum: 4.5)
        XCTAssertEqual(
            page.text,
            """
            # HELP x_seconds x
            # TYPE x_seconds histogram
            x_seconds_bucket{handler="/",le="0.1"} 2
            x_seconds_bucket{handler="/",le="1"} 5
            x_seconds_bucket{handler="/",le="+Inf"} 6
            x_seconds_sum{handler="/"} 4.5
            x_seconds_count{handler="/"} 6

            """)
    }

    func testLabelValuesAndHelpAreEscaped() {
        var page = MetricsText()
        page.family("y", .gauge, help: "a \\ b\nc")
        page.sample("y", [("version", "a\"b\\c\nd")], Int64(1))
        XCTAssertEqual(page.text, "# HELP y a \\\\ b\\nc\n# TYPE y gauge\ny{version=\"a\\\"b\\\\c\\nd\"} 1\n")
    }

    func testThePageCountsRequestsByRouteAndCodeFromTheSharedCells() {
        var cells = PoolTelemetry.zero.cells
        cells[TelemetryLayout.requests(.results, codeIndex: ResponseCode.index(of: 200))] = 7
        cells[TelemetryLayout.requests(.results, codeIndex: ResponseCode.index(of: 400))] = 2
        cells[TelemetryLayout.requests(.other, codeIndex: ResponseCode.index(of: 418))] = 1
        cells[TelemetryLayout.durations(.results, bucket: LatencyBuckets.index(ofNanoseconds: 3_000_000))] = 9
        cells[TelemetryLayout.durationSum(.results)] = 27_000_000
        cells[TelemetryLayout.predictions(positive: true)] = 5
        cells[TelemetryLayout.feedback(.held)] = 4
        cells[TelemetryLayout.restarts(.crash)] = 1
        let pool = PoolStatus(telemetry: PoolTelemetry(cells: cells), processes: [], now: 0)
        let model = ModelFacts(version: "0badf00d.12", variant: "ngram", watermark: 12)
        let feedback = FeedbackTotals(confusion: [[3, 1], [2, 4]], heldRows: 6, latestID: 20)
        let text = MetricsPage(pool: pool, model: model, feedback: feedback).render()
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            "movieclassifier_http_requests_total{handler=\"/results\",code=\"200\"} 7",
            "movieclassifier_http_requests_total{handler=\"/results\",code=\"400\"} 2",
            "movieclassifier_http_requests_total{handler=\"other\",code=\"other\"} 1",
            "movieclassifier_http_requests_total{handler=\"/thanks\",code=\"200\"} 0",
            "movieclassifier_http_request_duration_seconds_bucket{handler=\"/results\",le=\"0.0025\"} 0",
            "movieclassifier_http_request_duration_seconds_bucket{handler=\"/results\",le=\"0.005\"} 9",
            "movieclassifier_http_request_duration_seconds_bucket{handler=\"/results\",le=\"+Inf\"} 9",
            "movieclassifier_http_request_duration_seconds_sum{handler=\"/results\"} 0.027",
            "movieclassifier_predictions_total{label=\"positive\"} 5",
            "movieclassifier_feedback_received_total{outcome=\"held\"} 4",
            "movieclassifier_pool_worker_restarts_total{reason=\"crash\"} 1",
            "movieclassifier_model_info{version=\"0badf00d.12\",variant=\"ngram\"} 1",
            "movieclassifier_feedback_rows_total{predicted=\"negative\",truth=\"positive\"} 1",
            "movieclassifier_feedback_rows_total{predicted=\"positive\",truth=\"negative\"} 2",
            "movieclassifier_feedback_held_rows 6",
            "movieclassifier_feedback_database_up 1",
        ] {
            XCTAssertTrue(lines.contains(expected), "missing: \(expected)")
        }
        XCTAssertFalse(lines.contains("movieclassifier_http_requests_total{handler=\"/thanks\",code=\"400\"} 0"), "an unseen code is left out")
    }

    func testEveryFamilyIsAnnouncedOnceAndCountersEndInTotal() {
        let text = MetricsPage(pool: PoolStatus(telemetry: .zero, processes: [], now: 0), model: nil, feedback: nil).render()
        let types = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ") }
        XCTAssertEqual(Set(types.map { $0[2] }).count, types.count)
        for type in types where type[3] == "counter" { XCTAssertTrue(type[2].hasSuffix("_total"), "\(type[2])") }
        XCTAssertTrue(text.contains("movieclassifier_feedback_database_up 0\n"))
        XCTAssertFalse(text.contains("movieclassifier_feedback_rows_total"))
    }

    func testWithoutAPoolOnlyTheModelAndTheDatabaseAreReported() {
        let text = MetricsPage(pool: nil, model: ModelFacts(version: "v", variant: "book", watermark: 0), feedback: nil).render()
        XCTAssertFalse(text.contains("movieclassifier_http_requests_total"))
        XCTAssertTrue(text.contains("movieclassifier_model_info{version=\"v\",variant=\"book\"} 1\n"))
    }
}
