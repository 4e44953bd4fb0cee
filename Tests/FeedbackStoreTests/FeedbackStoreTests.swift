import Foundation
import GRDB
import Glibc
import TestSupport
import XCTest

@testable import FeedbackStore

final class FeedbackStoreTests: XCTestCase {
    var folder = ""
    var path: String { folder + "/feedback.sqlite" }

    override func setUpWithError() throws {
        folder = try ScratchFolder("feedback-store").path
    }

    override func tearDownWithError() throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
        try FileManager.default.removeItem(atPath: folder)
    }

    func testLatestIDIsZeroWhenEmptyAndIdsAreNeverReused() throws {
        let store = try FeedbackStore(path: path)
        XCTAssertEqual(try store.latestID(), 0)
        for index in 1...3 { try store.insert(review: "review \(index)", sentiment: 1) }
        XCTAssertEqual(try store.latestID(), 3)
        try DatabaseQueue(path: path).write { try $0.execute(sql: "DELETE FROM review_db WHERE id = 3") }
        XCTAssertEqual(try store.latestID(), 2)
        XCTAssertEqual(try store.insert(review: "after a deletion", sentiment: 0), 4)
    }

    func testTheBooksQueriesReadAndWriteTheTable() throws {
        try FeedbackStore(path: path).insert(review: "a fine film", sentiment: 1)
        let book = try DatabaseQueue(path: path)
        try book.write { db in
            // app.py's sqlite_entry.
            try db.execute(
                sql: "INSERT INTO review_db (review, sentiment, date) VALUES (?, ?, DATETIME('now'))", arguments: ["from the book's app", 0])
        }
        try book.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT review, sentiment, date FROM review_db")
            XCTAssertEqual(rows.map { $0["review"] as String }, ["a fine film", "from the book's app"])
            XCTAssertEqual(rows.map { $0["sentiment"] as Int }, [1, 0])
            // update.py: `X = data[:, 0]; y = data[:, 1].astype(int)` over `SELECT *`.
            XCTAssertEqual(
                try Row.fetchOne(db, sql: "SELECT * FROM review_db").map { Array($0.columnNames) },
                ["review", "sentiment", "date", "id", "rejected", "client", "variant", "p_positive", "state"])
        }
        XCTAssertEqual(try FeedbackStore(path: path).rows(after: 1, limit: 10).map(\.review), ["from the book's app"])
    }

    func testUpgradingAVersion1DatabaseKeepsItsIdsAndNeverReusesADeletedOne() throws {
        var v1 = DatabaseMigrator()
        v1.registerMigration("v1: review_db") { db in
            try db.execute(
                sql:
                    "CREATE TABLE review_db (id INTEGER PRIMARY KEY AUTOINCREMENT, review TEXT NOT NULL, sentiment INTEGER NOT NULL, date TEXT NOT NULL DEFAULT (DATETIME('now')))"
            )
        }
        let old = try DatabaseQueue(path: path)
        try v1.migrate(old)
        try old.write { db in
            try db.execute(
                sql:
                    "INSERT INTO review_db (review, sentiment, date) VALUES ('one', 1, '2026-01-01 00:00:00'), ('two', 0, '2026-01-02 00:00:00'), ('three', 1, '2026-01-03 00:00:00')"
            )
            try db.execute(sql: "DELETE FROM review_db WHERE id = 3")
        }
        try old.close()
        let store = try FeedbackStore(path: path)
        XCTAssertEqual(
            try store.rows(after: 0, limit: 10).map { "\($0.id) \($0.review) \($0.sentiment) \($0.date)" },
            ["1 one 1 2026-01-01 00:00:00", "2 two 0 2026-01-02 00:00:00"])
        XCTAssertEqual(try store.insert(review: "four", sentiment: 0), 4, "id 3 was handed out once")
    }

    func testTheDatabaseIsInWALModeAndItsWriterSyncsTheLogAfterLettingTheLockGo() throws {
        let store = try FeedbackStore(path: path)
        let (journalMode, synchronous) = try store.pool.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        XCTAssertEqual(journalMode, "wal")
        XCTAssertEqual(synchronous, 1, "synchronous = NORMAL: the store syncs the log itself (DurabilityTests)")
        XCTAssertEqual(
            try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal", "WAL is a property of the file")
    }

    func testASingleConnectionStoreMakesANewFileWALAndSharesItWithAPool() throws {
        let cgi = try FeedbackStore(path: path, connections: .single)
        let (journalMode, synchronous) = try cgi.pool.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        XCTAssertEqual(journalMode, "wal")
        XCTAssertEqual(synchronous, 1, "synchronous = NORMAL: the store syncs the log itself (DurabilityTests)")
        XCTAssertEqual(try cgi.insert(review: "through CGI", sentiment: 1), 1)
        let worker = try FeedbackStore(path: path)
        XCTAssertEqual(try worker.insert(review: "through a worker", sentiment: 0), 2)
        let nextCGI = try FeedbackStore(path: path, connections: .single)
        XCTAssertEqual(try nextCGI.rows(after: 0, limit: 10).map(\.review), ["through CGI", "through a worker"])
        XCTAssertEqual(try nextCGI.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
    }

    func testRowsSurviveReopening() throws {
        try FeedbackStore(path: path).insert(review: "kept", sentiment: 0)
        let reopened = try FeedbackStore(path: path)
        XCTAssertEqual(
            try reopened.rows(after: 0, limit: 10),
            [FeedbackRow(id: 1, review: "kept", sentiment: 0, date: try reopened.rows(after: 0, limit: 1)[0].date)])
        XCTAssertEqual(try reopened.insert(review: "next", sentiment: 1), 2)
    }

    func testACommitThroughAnotherStoreIsReportedOnce() throws {
        let worker = try FeedbackStore(path: path)
        XCTAssertFalse(try worker.hasChanged())
        let otherWorker = try FeedbackStore(path: path)
        XCTAssertFalse(try worker.hasChanged())
        try otherWorker.insert(review: "from elsewhere", sentiment: 1)
        XCTAssertTrue(try worker.hasChanged())
        XCTAssertFalse(try worker.hasChanged())
        XCTAssertTrue(try otherWorker.hasChanged(), "its own insert")
        XCTAssertFalse(try otherWorker.hasChanged())
        try worker.insert(review: "own", sentiment: 0)
        XCTAssertTrue(try worker.hasChanged(), "its own insert")
        XCTAssertFalse(try worker.hasChanged())
        XCTAssertTrue(try otherWorker.hasChanged())
        XCTAssertFalse(try otherWorker.hasChanged())
    }

    func testEveryCommitOfAnyStoreMovesTheSharedChangeCountAndAReadDoesNot() throws {
        let worker = try FeedbackStore(path: path)
        let admin = try FeedbackStore(path: path, connections: .single)
        let start = try XCTUnwrap(worker.changeCount)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-changes"))
        try admin.insert(review: "from elsewhere", sentiment: 1)
        XCTAssertEqual(worker.changeCount, start + 1, "another store's insert")
        _ = try worker.insert(
            NewFeedback(review: "a visitor's", sentiment: 0, client: "c", probabilityPositive: 0.5), policy: TrustPolicy())
        XCTAssertEqual(admin.changeCount, start + 2, "an insert under the trust rules")
        _ = try admin.setRejected(true, ids: [1])
        XCTAssertEqual(worker.changeCount, start + 3, "a rejection")
        _ = try admin.holdingWriteLock { _ in }
        XCTAssertEqual(worker.changeCount, start + 4, "the write lock the update tool replaces the model under")
        _ = try worker.rows(after: 0, limit: 10)
        _ = try worker.hasChanged()
        XCTAssertEqual(worker.changeCount, start + 4, "reads move nothing")
        XCTAssertEqual(try FeedbackStore(path: path).changeCount, start + 4, "a store opened later reads the same counter")
    }

    func testAFolderWhereTheCounterCannotBeMadeLeavesTheStoreWithout() throws {
        let store = try FeedbackStore(path: path)
        XCTAssertNotNil(store.changeCount)
        try FileManager.default.removeItem(atPath: path + "-changes")
        try FileManager.default.createDirectory(atPath: path + "-changes", withIntermediateDirectories: false)
        XCTAssertNil(try FeedbackStore(path: path).changeCount, "a folder in the counter's place")
    }

    func testACommitByAnotherProcessIsReported() throws {
        let sqlite3 = "/usr/bin/sqlite3"
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: sqlite3), "needs the sqlite3 command (./test.sh installs it)")
        let store = try FeedbackStore(path: path)
        XCTAssertFalse(try store.hasChanged())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = [path, "INSERT INTO review_db (review, sentiment, date) VALUES ('from another process', 1, DATETIME('now'))"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(try store.hasChanged())
        XCTAssertFalse(try store.hasChanged())
        XCTAssertEqual(try store.rows(after: 0, limit: 10).map { "\($0.id) \($0.review) \($0.sentiment)" }, ["1 from another process 1"])
    }

    func testWorkersOpeningANewDatabaseTogetherAllSucceed() throws {
        let failures = Failures()
        for attempt in 0..<40 {
            let path = folder + "/new-\(attempt).sqlite"
            runTogether(8) {
                do {
                    try FeedbackStore(path: path).insert(review: "first start", sentiment: 1)
                } catch {
                    failures.append("\(error)")
                }
            }
            XCTAssertEqual(try FeedbackStore(path: path).latestID(), 8)
        }
        XCTAssertEqual(failures.all, [])
    }

    func testTheBooksOwnDatabaseIsMigratedWithItsRowsInOrder() throws {
        let book = try DatabaseQueue(path: path)
        try book.write { db in
            try db.execute(sql: "CREATE TABLE review_db (review TEXT, sentiment INTEGER, date TEXT)")
            try db.execute(sql: "INSERT INTO review_db VALUES ('first', 1, '2019-01-01 10:00:00'), ('second', 0, '2019-01-02 10:00:00')")
        }
        try book.close()
        let store = try FeedbackStore(path: path)
        XCTAssertEqual(
            try store.rows(after: 0, limit: 10),
            [
                FeedbackRow(id: 1, review: "first", sentiment: 1, date: "2019-01-01 10:00:00"),
                FeedbackRow(id: 2, review: "second", sentiment: 0, date: "2019-01-02 10:00:00"),
            ])
        XCTAssertEqual(try store.insert(review: "third", sentiment: 1), 3)
    }

    func testADatabaseUpgradedByANewerVersionIsRefused() throws {
        _ = try FeedbackStore(path: path)
        var future = DatabaseMigrator()
        future.registerMigration("v1: review_db") { _ in }
        future.registerMigration("v999: something new") { db in try db.execute(sql: "CREATE TABLE future (x)") }
        try future.migrate(try DatabaseQueue(path: path))
        XCTAssertThrowsError(try FeedbackStore(path: path)) { error in
            XCTAssertEqual(
                "\(error)",
                "\(path): the feedback database was upgraded by a newer movieclassifier (migrations unknown to this build: v999: something new). Run that version, or use a copy of the database made before the upgrade."
            )
        }
    }

    func testAMissingFolderIsRefusedNamingIt() {
        let path = folder + "/missing/feedback.sqlite"
        XCTAssertThrowsError(try FeedbackStore(path: path)) { error in
            XCTAssertEqual(
                "\(error)",
                "\(path): cannot create the feedback database: the folder \(folder)/missing does not exist. Create it, or give a path in an existing folder."
            )
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/missing"))
    }

    func testAFileThatIsNotSQLiteIsRefusedNamingIt() throws {
        let notes = folder + "/notes.txt"
        try Data(repeating: UInt8(ascii: "A"), count: 4096).write(to: URL(fileURLWithPath: notes))
        XCTAssertThrowsError(try FeedbackStore(path: notes)) { error in
            XCTAssertEqual(
                "\(error)",
                "\(notes): not an SQLite database. Give the path of the feedback database, or of a file to create; restore a damaged database from a backup."
            )
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: notes)), Data(repeating: UInt8(ascii: "A"), count: 4096), "the file is left alone")
    }

    func testAFolderThatIsNotWritableIsRefusedNamingIt() throws {
        if geteuid() == 0 {
            // Root may write in any folder, but not on a file system mounted read-only.
            guard mount("tmpfs", folder, "tmpfs", UInt(MS_RDONLY), "size=1m") == 0 else {
                return XCTFail("cannot mount a read-only tmpfs at \(folder): \(String(cString: strerror(errno)))")
            }
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        }
        defer { if geteuid() == 0 { umount2(folder, Int32(MNT_DETACH)) } }
        XCTAssertThrowsError(try FeedbackStore(path: path)) { error in
            XCTAssertEqual(
                "\(error)",
                "\(path): cannot use the feedback database: the folder \(folder) is not writable by this user, and SQLite (WAL mode) creates its -wal and -shm files beside the database. Give the user the workers run as write access to the folder."
            )
        }
    }

    func testRepeatOfIsTheFirstEarlierRowWithTheSameReviewAndLabel() throws {
        let store = try FeedbackStore(path: path)
        let end = String(repeating: "e", count: FeedbackStore.repeatKeyLength)
        let reviews = [
            ("superb", 1), ("superb", 0), ("superb", 1),
            (end + " one " + end, 1), (end + " two " + end, 1), (end + " one " + end, 1),
            ("superb", 1), ("Superb", 1),
        ]
        for (review, sentiment) in reviews { try store.insert(review: review, sentiment: sentiment) }
        _ = try store.setRejected(true, ids: [1])
        XCTAssertEqual(
            try store.rows(after: 0, limit: 10).map(\.repeatOf), [nil, nil, 1, nil, nil, 4, 1, nil],
            "the same ends with a different middle are no repeat; a rejected first row is still the first; case matters"
        )
    }

    func testTheRepeatLookupIsAnIndexRangeNotAScan() throws {
        let store = try FeedbackStore(path: path)
        let details = try store.pool.read { db in
            try Row.fetchAll(
                db,
                sql: "EXPLAIN QUERY PLAN SELECT \(FeedbackStore.rowColumnsSQL) FROM review_db r WHERE r.id > 0 AND r.id <= 10 ORDER BY r.id LIMIT 10"
            ).map { $0["detail"] as String }
        }
        XCTAssertTrue(details.contains("SEARCH e USING INDEX review_db_repeats (<expr>=? AND <expr>=? AND sentiment=? AND rowid<?)"), "\(details)")
        XCTAssertFalse(details.contains { $0.contains("SCAN") || $0.contains("TEMP B-TREE") }, "\(details)")
    }

    func testAStoreThatMustExistRefusesAMissingFileAndCreatesNothing() {
        XCTAssertThrowsError(try FeedbackStore(path: path, mustExist: true)) { error in
            XCTAssertEqual(
                "\(error)",
                "\(path): no such feedback database. Give the path of the database the workers write (their --db), or of the book's reviews.sqlite.")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testTheBooksScriptsStillWriteTheTableAfterTheRejectionMigration() throws {
        let book = try DatabaseQueue(path: path)
        try book.write { db in
            try db.execute(sql: "CREATE TABLE review_db (review TEXT, sentiment INTEGER, date TEXT)")
            try db.execute(sql: "INSERT INTO review_db VALUES ('first', 1, '2019-01-01 10:00:00')")
        }
        try book.close()
        _ = try FeedbackStore(path: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO review_db (review, sentiment, date) VALUES ('from app.py', 0, DATETIME('now'))")
        }
        XCTAssertEqual(
            try FeedbackStore(path: path).rows(after: 0, limit: 10).map { "\($0.id) \($0.review) \($0.rejected)" },
            ["1 first false", "2 from app.py false"])
    }
}
