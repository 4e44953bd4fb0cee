import Foundation
import PostgreSQLClient
import TestSupport
import XCTest

/// Issue 16's crux: a bigserial id is drawn at INSERT but the row appears at COMMIT, so a
/// follower reading "id > last" skips a row whose transaction committed after a later id's.
/// Taking `pg_advisory_xact_lock` before the INSERT serialises the writers: ids then ascend in
/// commit order.
final class CommitOrderTests: PostgreSQLTestCase {
    private struct Outcome {
        let a: Int64
        let b: Int64
        /// Whether B had committed while A's transaction was still open.
        let bCommittedFirst: Bool
        /// The ids B's transaction saw just before its COMMIT.
        let seenByB: [Int64]
        let applied: [Int64]
        let stored: [Int64]
    }

    /// Writer A inserts and stays open; writer B, on another thread, inserts and commits; A
    /// commits after a pause. A follower polls before A's commit, right after it, and after B's.
    private func runWriters(locking: Bool) throws -> Outcome {
        let lock = "SELECT pg_advisory_xact_lock(42)"
        let observer = try connect()
        try observer.execute("CREATE TABLE log (id bigserial PRIMARY KEY, v text)")
        var follower = LogFollower(try connect())

        let writerA = try connect()
        try writerA.execute("BEGIN")
        if locking { try writerA.execute(lock) }
        let a = try writerA.execute("INSERT INTO log (v) VALUES ('a') RETURNING id").int64(0, 0)

        let conninfo = server.conninfo
        let writerB = BackgroundWork { () throws -> (id: Int64, seen: [Int64]) in
            let connection = try PostgreSQLConnection(conninfo, connectTimeout: 5, statementTimeout: .seconds(20))
            try connection.execute("BEGIN")
            if locking { try connection.execute(lock) }
            let id = try connection.execute("INSERT INTO log (v) VALUES ('b') RETURNING id").int64(0, 0)
            let visible = try connection.execute("SELECT id FROM log ORDER BY id")
            let seen = try (0..<visible.rowCount).map { try visible.int64($0, 0) }
            try connection.execute("COMMIT")
            return (id, seen)
        }
        try waitUntil("writer B to commit or to wait for the lock") {
            let waiting = try observer.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'")
            return try writerB.isFinished || waiting.int64(0, 0) == 1
        }
        Thread.sleep(forTimeInterval: 0.3)
        let bCommittedFirst = writerB.isFinished
        try follower.poll()
        try writerA.execute("COMMIT")
        try follower.poll()
        let b = try writerB.wait(seconds: 20)
        try follower.poll()
        let stored = try observer.execute("SELECT id FROM log ORDER BY id")
        return Outcome(
            a: a, b: b.id, bCommittedFirst: bCommittedFirst, seenByB: b.seen, applied: follower.applied,
            stored: try (0..<stored.rowCount).map { try stored.int64($0, 0) })
    }

    func testWithTheAdvisoryLockIdsAscendInCommitOrderAndTheFollowerMissesNothing() throws {
        let outcome = try runWriters(locking: true)
        XCTAssertFalse(outcome.bCommittedFirst, "B waited for A's lock")
        XCTAssertLessThan(outcome.a, outcome.b)
        XCTAssertEqual(outcome.seenByB, [outcome.a, outcome.b], "A had committed before B's transaction read the log")
        XCTAssertEqual(outcome.stored, [outcome.a, outcome.b])
        XCTAssertEqual(outcome.applied, outcome.stored)
    }

    func testWithoutTheLockALaterIdCommitsFirstAndTheFollowerSkipsTheEarlierRow() throws {
        let outcome = try runWriters(locking: false)
        XCTAssertTrue(outcome.bCommittedFirst)
        XCTAssertLessThan(outcome.a, outcome.b)
        XCTAssertEqual(outcome.seenByB, [outcome.b], "A's row was not yet visible")
        XCTAssertEqual(outcome.stored, [outcome.a, outcome.b])
        XCTAssertEqual(outcome.applied, [outcome.b], "A's row, committed after B's, is never applied")
    }
}
