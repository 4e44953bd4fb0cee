import FeedbackStore
import Foundation
import GRDB
import XCTest

final class FeedbackStoreTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "feedback-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    func testRowsComeBackInIdOrderAndInBatches() throws {
        let store = try FeedbackStore(path: folder + "/db.sqlite")
        for index in 0..<5 { try store.insert(review: "review \(index)", sentiment: index % 2) }
        XCTAssertEqual(try store.latestID(), 5)
        let first = try store.rows(after: 0, limit: 2)
        XCTAssertEqual(first.map(\.id), [1, 2])
        XCTAssertEqual(try store.rows(after: 2, limit: 10).map(\.review), ["review 2", "review 3", "review 4"])
        XCTAssertEqual(try store.rows(after: 5, limit: 10), [])
        XCTAssertEqual(first[1].sentiment, 1)
        XCTAssertNotNil(first[0].date.wholeMatch(of: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/), first[0].date)
    }

    func testTheBooksQueryStillReadsTheTableInWALMode() throws {
        let path = folder + "/db.sqlite"
        try FeedbackStore(path: path).insert(review: "a fine film", sentiment: 1)
        let queue = try DatabaseQueue(path: path)
        try queue.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
            let row = try XCTUnwrap(try Row.fetchOne(db, sql: "SELECT review, sentiment, date FROM review_db"))
            XCTAssertEqual(row["review"], "a fine film")
            XCTAssertEqual(row["sentiment"], 1)
        }
    }

    func testRowsSurviveReopening() throws {
        let path = folder + "/db.sqlite"
        try FeedbackStore(path: path).insert(review: "kept", sentiment: 0)
        XCTAssertEqual(try FeedbackStore(path: path).rows(after: 0, limit: 10).map(\.review), ["kept"])
    }

    func testChangesByAnotherConnectionAreNoticedOnce() throws {
        let path = folder + "/db.sqlite"
        let worker = try FeedbackStore(path: path)
        let otherWorker = try FeedbackStore(path: path)
        _ = try worker.hasChanged()
        XCTAssertFalse(try worker.hasChanged())
        try otherWorker.insert(review: "from elsewhere", sentiment: 1)
        XCTAssertTrue(try worker.hasChanged())
        XCTAssertFalse(try worker.hasChanged())
        try worker.insert(review: "own", sentiment: 0)
        XCTAssertTrue(try worker.hasChanged())
        XCTAssertFalse(try worker.hasChanged())
    }

    func testTheBooksOwnDatabaseIsMigratedWithItsRows() throws {
        let path = folder + "/reviews.sqlite"
        let book = try DatabaseQueue(path: path)
        try book.write { db in
            try db.execute(sql: "CREATE TABLE review_db (review TEXT, sentiment INTEGER, date TEXT)")
            try db.execute(sql: "INSERT INTO review_db VALUES ('first', 1, '2019-01-01 10:00:00'), ('second', 0, '2019-01-02 10:00:00')")
        }
        try book.close()
        let store = try FeedbackStore(path: path)
        XCTAssertEqual(try store.rows(after: 0, limit: 10).map { "\($0.id) \($0.review) \($0.sentiment) \($0.date)" },
                       ["1 first 1 2019-01-01 10:00:00", "2 second 0 2019-01-02 10:00:00"])
    }

    func testDatabaseFromANewerVersionIsRefused() throws {
        let path = folder + "/db.sqlite"
        _ = try FeedbackStore(path: path)
        var future = DatabaseMigrator()
        future.registerMigration("v1: review_db") { _ in }
        future.registerMigration("v999: something new") { db in try db.execute(sql: "CREATE TABLE future (x)") }
        try future.migrate(try DatabaseQueue(path: path))
        XCTAssertThrowsError(try FeedbackStore(path: path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path): the feedback database was created by a newer movieclassifier"), "\(error)")
        }
    }

    func testUnusablePathsGiveErrorsNamingThem() throws {
        XCTAssertThrowsError(try FeedbackStore(path: folder + "/missing/db.sqlite")) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(folder)/missing/db.sqlite: cannot open"), "\(error)")
        }
        let notSQLite = folder + "/notes.txt"
        try Data(repeating: 65, count: 4096).write(to: URL(fileURLWithPath: notSQLite))
        XCTAssertThrowsError(try FeedbackStore(path: notSQLite)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(notSQLite): cannot open"), "\(error)")
        }
    }
}
