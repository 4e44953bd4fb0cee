import FeedbackStore
import Foundation
import PostgreSQLFeedbackStore
import TestSupport
import XCTest

/// `hasChanged()`, which a worker asks before every answer: no round trip when nothing
/// happened, the NOTIFY of any host's write, and a true after a reconnect or a quiet poll
/// interval, since a notification can be lost.
final class ChangeDetectionTests: PostgreSQLFeedbackStoreTestCase {
    /// Asks `store` until it reports a change, at most `seconds`.
    private func reportsAChange(_ store: PostgreSQLFeedbackStore, seconds: Double = 5) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try store.hasChanged() { return true }
            usleep(1000)
        }
        return false
    }

    func testNothingNewIsReportedAsNoChangeWithoutARoundTrip() throws {
        let worker = try store()
        let observer = try connect()
        // The worker's session is the only other one: when did it last receive a statement?
        let lastStatement = { () throws -> String? in
            try observer.execute(
                "SELECT query_start FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
            ).rows.first?[0]
        }
        let before = try XCTUnwrap(lastStatement())
        let started = ContinuousClock.now
        for _ in 0..<1000 { XCTAssertFalse(try worker.hasChanged()) }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1), "1,000 checks")
        XCTAssertEqual(try lastStatement(), before, "the worker's session received no statement")
    }

    func testAnotherHostsInsertAndDecisionAreReportedOnceThroughTheirNotifications() throws {
        let worker = try store()
        let otherHost = try store()
        XCTAssertFalse(try worker.hasChanged())
        try otherHost.insert(review: "from elsewhere", sentiment: 1)
        XCTAssertTrue(try reportsAChange(worker))
        XCTAssertFalse(try worker.hasChanged(), "reported once")
        XCTAssertTrue(try otherHost.hasChanged(), "its own insert")
        XCTAssertFalse(try otherHost.hasChanged())
        _ = try otherHost.setRejected(true, ids: [1])
        XCTAssertTrue(try reportsAChange(worker), "a decision")
        XCTAssertEqual(try worker.generation(), 1)
        _ = try otherHost.holdingWriteLock { _ in }
        XCTAssertTrue(try reportsAChange(worker), "the lock the update tool replaces the model under")
        _ = try otherHost.insert(feedback("a visitor's"), policy: TrustPolicy())
        XCTAssertTrue(try reportsAChange(worker), "an insert under the trust rules")
        _ = try otherHost.rows(after: 0, limit: 10)
        _ = try otherHost.setRejected(true, ids: [1])
        XCTAssertFalse(try reportsAChange(worker, seconds: 0.5), "reads and decisions that change nothing notify nothing")
        XCTAssertNil(worker.changeCount, "no counter is shared across hosts")
    }

    func testAQuietLogIsReportedAsChangedOncePerPollInterval() throws {
        let worker = try store(pollInterval: .milliseconds(300))
        XCTAssertFalse(try worker.hasChanged())
        Thread.sleep(forTimeInterval: 0.4)
        XCTAssertTrue(try worker.hasChanged(), "a missed notification delays a reader by one interval at most")
        XCTAssertFalse(try worker.hasChanged())
    }

    func testAReconnectIsReportedAsAChangeAndTheStoreListensAgain() throws {
        let worker = try store()
        XCTAssertFalse(try worker.hasChanged())
        try server.restart()
        XCTAssertTrue(try worker.hasChanged(), "notifications sent while it was away are lost")
        XCTAssertFalse(try worker.hasChanged())
        try store().insert(review: "after the restart", sentiment: 1)
        XCTAssertTrue(try reportsAChange(worker), "LISTENing again")
        XCTAssertEqual(try worker.latestID(), 1)
    }

    func testAReconnectMadeByAnotherCallIsReportedToo() throws {
        let worker = try store()
        XCTAssertFalse(try worker.hasChanged())
        try server.restart()
        XCTAssertEqual(try worker.latestID(), 0, "the read reconnects")
        XCTAssertTrue(try worker.hasChanged())
        XCTAssertFalse(try worker.hasChanged())
    }
}
