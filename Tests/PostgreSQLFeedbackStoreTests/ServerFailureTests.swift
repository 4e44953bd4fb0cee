import FeedbackStore
import Foundation
import Support
import TestSupport
import XCTest

@testable import PostgreSQLFeedbackStore

/// What the store does when the server crashes, stops or comes back.
final class ServerFailureTests: PostgreSQLFeedbackStoreTestCase {
    func testARowAcknowledgedByInsertSurvivesAnImmediateStop() throws {
        let store = try store()
        let id = try store.insert(review: "recorded", sentiment: 1)
        guard case .stored(let visitor, .counts) = try store.insert(feedback("a visitor's, thanked"), policy: TrustPolicy()) else {
            return XCTFail("the visitor's row was not stored")
        }
        try server.stop(mode: .immediate)
        try server.start()
        XCTAssertTrue(server.log.contains("automatic recovery in progress"), "the start replayed the write-ahead log:\n\(server.log)")
        XCTAssertEqual(try store.rows(after: 0, limit: 10).map { "\($0.id) \($0.review)" }, ["\(id) recorded", "\(visitor) a visitor's, thanked"])
    }

    func testCommitsAreDurableEvenWhereTheServerIsConfiguredOtherwise() throws {
        let admin = try connect()
        try admin.execute("ALTER SYSTEM SET synchronous_commit = off")
        try admin.execute("SELECT pg_reload_conf()")
        XCTAssertEqual(try connect().execute("SHOW synchronous_commit")[0, 0], "off")
        let store = try store()
        XCTAssertEqual(try store.connection.execute("SHOW synchronous_commit")[0, 0], "on")
        try server.restart()
        XCTAssertEqual(try store.latestID(), 0, "the read reconnects")
        XCTAssertEqual(try store.connection.execute("SHOW synchronous_commit")[0, 0], "on", "set again on the new session")
    }

    func testAStoppedServerMakesInsertsFailPromptlyAndTheStoreWorksAgainOnceItIsBack() throws {
        let store = try store()
        try store.insert(review: "before", sentiment: 1)
        try server.stop()
        for attempt in 0..<2 {
            let started = ContinuousClock.now
            XCTAssertThrowsError(try store.insert(feedback("while it is down"), policy: TrustPolicy())) { error in
                guard case .failed(let target, let operation, let reason) = error as? FeedbackStoreError else { return XCTFail("\(error)") }
                XCTAssertEqual(target, server.url)
                XCTAssertEqual(operation, "store the feedback")
                XCTAssertTrue(reason.hasPrefix("cannot connect to the server (is it running, and does the URL name it?): "), reason)
                XCTAssertTrue("\(error)".hasPrefix("\(server.url): cannot store the feedback: "), "\(error)")
            }
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(3), "attempt \(attempt) does not hang")
        }
        XCTAssertThrowsError(try store.hasChanged())
        try server.start()
        XCTAssertEqual(try store.insert(feedback("after the restart"), policy: TrustPolicy()), .stored(id: 2, state: .counts))
        XCTAssertTrue(try store.hasChanged(), "it reconnected: what it missed must be read again")
        XCTAssertEqual(try store.rows(after: 0, limit: 10).map(\.review), ["before", "after the restart"])
    }

    func testAfterAFailedReconnectCallsFailAtOnceUntilTheBackoffHasPassed() throws {
        let backoff = Duration.seconds(4)
        let store = try store(reconnectBackoff: backoff)
        try server.stop()
        XCTAssertThrowsError(try store.latestID())
        let failed = ContinuousClock.now
        try server.start()
        XCTAssertThrowsError(try store.insert(review: "too soon", sentiment: 1), "the server is back, but the store waits out its backoff") { error in
            XCTAssertTrue("\(error)".contains("cannot connect to the server"), "the failed attempt's error: \(error)")
        }
        XCTAssertThrowsError(try store.hasChanged())
        XCTAssertLessThan(ContinuousClock.now - failed, backoff, "still within the backoff")
        Thread.sleep(forTimeInterval: (failed + backoff - ContinuousClock.now).seconds + 0.2)
        XCTAssertEqual(try store.insert(review: "in time", sentiment: 1), 1)
        XCTAssertTrue(try store.hasChanged())
    }

    func testOpeningAStoreOnAStoppedServerFailsNamingTheServerWithoutItsPassword() throws {
        try server.stop()
        let url = server.url.replacing("postgres@", with: "postgres:s3cret@")
        let started = ContinuousClock.now
        XCTAssertThrowsError(try PostgreSQLFeedbackStore(url: url, connectTimeout: 2)) { error in
            guard case .cannotOpen(let target, let reason) = error as? FeedbackStoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(target, server.url.replacing("postgres@", with: "postgres:***@"))
            XCTAssertTrue(reason.contains("\(server.socketFolder)/.s.PGSQL.5432"), reason)
            XCTAssertFalse("\(error)".contains("s3cret"), "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
    }
}
