import FeedbackStore
import Foundation
import PostgreSQLClient
import TestSupport
import XCTest

@testable import PostgreSQLFeedbackStore

/// Issue 16's crux with the store: ids are drawn at INSERT and rows appear at COMMIT, so the
/// writers of every host take the log's lock before their INSERT; ids then ascend in commit
/// order, and a follower reading "after its watermark" misses nothing.
final class SharedLogTests: PostgreSQLFeedbackStoreTestCase {
    /// A follower as a live model applies the log: when `hasChanged()` says so, the rows after
    /// the last id it applied.
    private struct Follower {
        let store: PostgreSQLFeedbackStore
        private(set) var applied: [Int64] = []

        mutating func poll() throws {
            guard try store.hasChanged() else { return }
            while true {
                let rows = try store.rows(after: applied.last ?? 0, limit: 100)
                if rows.isEmpty { return }
                applied += rows.map(\.id)
            }
        }
    }

    func testAWriterHoldingItsTransactionOpenMakesAnotherHostWaitAndTheFollowerMissesNothing() throws {
        _ = try store()
        var follower = Follower(store: try store())
        let observer = try connect()
        // Host A, mid-insert: its lock taken and its id drawn, not yet committed.
        let writerA = try connect()
        try writerA.execute("BEGIN")
        try writerA.execute("SELECT pg_advisory_xact_lock($1)", [String(PostgreSQLFeedbackStore.logLockKey)])
        let a = try writerA.execute("INSERT INTO review_db (review, sentiment, client) VALUES ('a', 1, 'host-a') RETURNING id").int64(0, 0)

        let url = server.url
        let hostB = BackgroundWork { () throws -> InsertOutcome in
            try PostgreSQLFeedbackStore(url: url, statementTimeout: .seconds(20))
                .insert(NewFeedback(review: "b", sentiment: 0, client: "host-b", probabilityPositive: 0.5), policy: TrustPolicy())
        }
        try waitUntil("host B to wait for the log's lock") { try hostB.isFinished || someoneWaitsForTheLogsLock(observer) }
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertFalse(hostB.isFinished, "B waits while A's transaction is open")
        try follower.poll()
        XCTAssertEqual(follower.applied, [], "nothing is committed yet")
        try writerA.execute("NOTIFY feedback")
        try writerA.execute("COMMIT")
        guard case .stored(let b, .counts) = try hostB.wait(seconds: 20) else { return XCTFail("B's row was not stored as counting") }
        XCTAssertLessThan(a, b)
        try waitUntil("the follower to apply both rows") {
            try follower.poll()
            return follower.applied.count >= 2
        }
        XCTAssertEqual(follower.applied, [a, b])
    }

    func testAnInsertFromOutsideTheApplicationDrawsItsIdOnlyOnceItHasTheLogsLock() throws {
        let store = try store()
        let observer = try connect()
        // A writer of the application holds the lock and has not drawn its id yet.
        let holder = try connect()
        try holder.execute("BEGIN")
        try holder.execute("SELECT pg_advisory_xact_lock($1)", [String(PostgreSQLFeedbackStore.logLockKey)])
        let conninfo = server.conninfo
        let psql = BackgroundWork { () throws -> Int64 in
            try PostgreSQLConnection(conninfo, connectTimeout: 5, statementTimeout: .seconds(20))
                .execute("INSERT INTO review_db (review, sentiment) VALUES ('typed in psql', 1) RETURNING id").int64(0, 0)
        }
        try waitUntil("psql's INSERT to wait for the log's lock") { try psql.isFinished || someoneWaitsForTheLogsLock(observer) }
        XCTAssertFalse(psql.isFinished, "the trigger takes the lock")
        let held = try holder.execute("INSERT INTO review_db (review, sentiment) VALUES ('the holder', 0) RETURNING id").int64(0, 0)
        try holder.execute("COMMIT")
        let typed = try psql.wait(seconds: 20)
        XCTAssertLessThan(held, typed, "psql's id was drawn after the holder's, which committed first")
        XCTAssertEqual(try store.rows(after: 0, limit: 10).map(\.review), ["the holder", "typed in psql"])
    }

    func testTwoHostsInsertingConcurrentlyGiveEachIdOnceInCommitOrderAndAFollowerAppliesEveryRow() throws {
        _ = try store()
        var follower = Follower(store: try store())
        let url = server.url
        let perHost = 150
        let hosts = ["host-a", "host-b"].map { host in
            BackgroundWork { () throws -> [Int64] in
                let store = try PostgreSQLFeedbackStore(url: url, statementTimeout: .seconds(20))
                let policy = TrustPolicy(budget: 1000, storedLimit: 1000)
                return try (0..<perHost).map { index throws -> Int64 in
                    if index % 3 == 0 { return try store.insert(review: "\(host) says \(index)", sentiment: index % 2) }
                    let outcome = try store.insert(
                        NewFeedback(review: "\(host) review \(index)", sentiment: index % 2, client: host, probabilityPositive: 0.5), policy: policy)
                    guard case .stored(let id, _) = outcome else { throw TestTimeout(description: "\(host)'s row \(index) was refused") }
                    return id
                }
            }
        }
        while !hosts.allSatisfy(\.isFinished) {
            try follower.poll()
            usleep(500)
        }
        let returned = try hosts.flatMap { try $0.wait(seconds: 60) }
        XCTAssertEqual(returned.count, 2 * perHost)
        XCTAssertEqual(Set(returned).count, returned.count, "every id was returned once")
        let (a, b) = (try hosts[0].wait(seconds: 1), try hosts[1].wait(seconds: 1))
        for host in [a, b] { XCTAssertEqual(host, host.sorted(), "each host's ids ascend") }
        XCTAssertTrue(a.min()! < b.max()! && b.min()! < a.max()!, "the hosts' inserts interleaved")
        try waitUntil("the follower to catch up") {
            try follower.poll()
            return follower.applied.count >= returned.count
        }
        XCTAssertEqual(follower.applied, returned.sorted(), "the follower applied every row, none skipped, none twice")
        let observer = try connect()
        let stored = try observer.execute("SELECT id FROM review_db ORDER BY id").rows.map { Int64($0[0]!)! }
        XCTAssertEqual(stored, returned.sorted())
        // The inserting transaction's id, drawn after the lock: the order the writers held it in.
        let byTransaction = try observer.execute("SELECT id FROM review_db ORDER BY xmin::text::bigint").rows.map { Int64($0[0]!)! }
        XCTAssertEqual(byTransaction, stored, "ids ascend in the order the transactions held the lock and committed")
    }

    func testHoldingTheWriteLockMakesAnotherHostsInsertWaitUntilTheBodyReturns() throws {
        let updater = try store()
        try updater.insert(review: "before", sentiment: 1)
        _ = try updater.setRejected(true, ids: [1])
        let observer = try connect()
        let url = server.url
        let waited = try updater.holdingWriteLock { generation -> Bool in
            XCTAssertEqual(generation, 1)
            let worker = BackgroundWork { () throws -> Int64 in
                try PostgreSQLFeedbackStore(url: url, statementTimeout: .seconds(20)).insert(review: "during the update", sentiment: 0)
            }
            return (try? waitUntil("the worker to wait for the lock") { try worker.isFinished || someoneWaitsForTheLogsLock(observer) }) != nil
                && !worker.isFinished
        }
        XCTAssertTrue(waited, "the other host's insert waited for the lock")
        try waitUntil("the waiting insert to be stored") { try updater.latestID() == 2 }
        XCTAssertEqual(try updater.row(id: 2)?.review, "during the update")
    }

    func testAnInsertWaitingLongerThanTheStatementTimeoutFailsSayingWhy() throws {
        let holder = try store()
        let impatient = try store(statementTimeout: .milliseconds(300))
        let attempt = try holder.holdingWriteLock { _ in
            Result { () throws(FeedbackStoreError) in try impatient.insert(review: "too late", sentiment: 1) }
        }
        XCTAssertThrowsError(try attempt.get()) { error in
            guard case .failed(let target, let operation, let reason) = error as? FeedbackStoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(target, server.url)
            XCTAssertEqual(operation, "store the feedback")
            XCTAssertTrue(reason.hasPrefix("the statement timed out (another writer may hold the feedback log's lock)"), reason)
        }
        XCTAssertEqual(try impatient.insert(review: "in time", sentiment: 1), 1, "the failed transaction drew no id")
    }
}
