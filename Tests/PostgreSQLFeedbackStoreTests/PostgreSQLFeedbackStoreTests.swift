import FeedbackLogContract
import FeedbackStore
import Foundation
import PostgreSQLClient
import PostgreSQLFeedbackStore
import TestSupport
import XCTest

/// What the PostgreSQL store keeps in its own tables, beyond what every log promises
/// (`PostgreSQLFeedbackLogContractTests`): the book's columns, the repeat rule and its index,
/// the schema's history, ids never reused.
final class PostgreSQLFeedbackStoreTests: PostgreSQLFeedbackStoreTestCase {
    func testIdsAreNeverReusedAfterADeletion() throws {
        let store = try store()
        for index in 1...3 { try store.insert(review: "review \(index)", sentiment: 1) }
        try connect().execute("DELETE FROM review_db WHERE id = 3")
        XCTAssertEqual(try store.latestID(), 2)
        XCTAssertEqual(try store.insert(review: "after a deletion", sentiment: 0), 4)
    }

    func testTheBooksColumnsComeFirstAndItsInsertsStillWork() throws {
        let store = try store()
        try store.insert(review: "a fine film", sentiment: 1)
        let book = try connect()
        // app.py's sqlite_entry, in PostgreSQL's words: it names its columns.
        try book.execute("INSERT INTO review_db (review, sentiment, date) VALUES ($1, 0, '2019-01-02 10:00:00')", ["from the book's app"])
        try book.execute("INSERT INTO review_db (review, sentiment) VALUES ('no date given', 1)")
        XCTAssertEqual(
            try book.execute("SELECT * FROM review_db LIMIT 1").columns,
            ["review", "sentiment", "date", "id", "rejected", "client", "variant", "p_positive", "state"])
        let rows = try store.rows(after: 1, limit: 10)
        XCTAssertEqual(
            rows.map { "\($0.id) \($0.review) \($0.sentiment) \($0.state)" }, ["2 from the book's app 0 counts", "3 no date given 1 counts"])
        XCTAssertNotNil(FeedbackLogContract.utc.date(from: rows[1].date), "the default date is \(rows[1].date)")
        XCTAssertThrowsError(try book.execute("INSERT INTO review_db (id, review, sentiment) VALUES (99, 'x', 1)")) { error in
            XCTAssertEqual((error as? PostgreSQLError)?.sqlState, "428C9", "only the sequence gives ids: \(error)")
        }
    }

    func testRowsWrittenOutsideTheApplicationKeepTheBooksRepeatRule() throws {
        let store = try store()
        let end = String(repeating: "e", count: 32)
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

    func testTheRepeatLookupUsesItsIndex() throws {
        let store = try store()
        for index in 0..<200 { try store.insert(review: "review \(index % 20)", sentiment: 1) }
        let observer = try connect()
        try observer.execute("ANALYZE review_db")
        try observer.execute("SET enable_seqscan = off")
        let plan = try observer.execute(
            """
            EXPLAIN SELECT r.id, (SELECT e.id FROM review_db e WHERE left(e.review, 32) = left(r.review, 32)
                AND right(e.review, 32) = right(r.review, 32) AND e.sentiment = r.sentiment AND e.id < r.id AND e.review = r.review
                AND e.client IS NULL ORDER BY e.id LIMIT 1) FROM review_db r WHERE r.id = 150
            """
        ).rows.map { $0[0] ?? "" }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("review_db_repeats"), plan)
        XCTAssertEqual(try store.row(id: 150)?.repeatOf, 10)
    }

    func testStoresOpeningANewDatabaseTogetherAllSucceed() throws {
        let url = server.url
        let failures = Failures()
        runTogether(8) {
            do {
                try PostgreSQLFeedbackStore(url: url, connectTimeout: 5).insert(review: "first start", sentiment: 1)
            } catch {
                failures.append("\(error)")
            }
        }
        XCTAssertEqual(failures.all, [])
        XCTAssertEqual(try store().latestID(), 8)
        XCTAssertEqual(
            try connect().execute("SELECT version, name FROM feedback_schema ORDER BY version").rows,
            [["1", "v1: review_db, budgets, generation"], ["2", "v2: model_version"]], "each migration applied once")
    }

    func testADatabaseUpgradedByANewerVersionIsRefused() throws {
        _ = try store()
        try connect().execute("INSERT INTO feedback_schema (version, name, applied) VALUES (999, 'v999: something new', '2030-01-01 00:00:00')")
        XCTAssertThrowsError(try store()) { error in
            XCTAssertEqual(
                "\(error)",
                "\(server.url): the feedback database was upgraded by a newer movieclassifier (migrations unknown to this build: v999: something new). Run that version, or use a copy of the database made before the upgrade."
            )
        }
    }

    func testTheTallyAndTheStatisticsCountTheLog() throws {
        let store = try store()
        let policy = TrustPolicy(budget: 3, storedLimit: 10)
        // Predicted positive, confirmed; positive, corrected; negative, confirmed; then held.
        _ = try store.insert(feedback("Great film", 1, client: "a", probability: 0.9), policy: policy)
        _ = try store.insert(feedback("Not for me", 0, client: "a", probability: 0.8), policy: policy)
        _ = try store.insert(feedback("Awful", 0, client: "a", probability: 0.1), policy: policy)
        _ = try store.insert(feedback("Held back", 1, client: "a", probability: 0.7), policy: policy)
        try store.insert(review: "an admin's row", sentiment: 1)
        _ = try store.setRejected(true, ids: [3])
        let tally = try store.tally()
        XCTAssertEqual(tally.heldRows, 1)
        XCTAssertEqual(tally.latestID, 5)
        XCTAssertEqual(tally.confusion.predictedPositiveTruthPositive, 2, "the confirmed row and the held one")
        XCTAssertEqual(tally.confusion.predictedPositiveTruthNegative, 1)
        XCTAssertEqual(tally.confusion.predictedNegativeTruthNegative, 0, "rejected")
        XCTAssertEqual(tally.confusion.predictedNegativeTruthPositive, 0)

        let statistics = try store.statistics(days: 7, maximumBlocks: 10)
        XCTAssertEqual(statistics.rows, 5)
        XCTAssertEqual(statistics.rejected, 1)
        XCTAssertEqual(statistics.states, [.counts: 3, .overBudget: 1])
        XCTAssertEqual(statistics.positiveLabels, 3)
        XCTAssertEqual(statistics.negativeLabels, 1)
        XCTAssertEqual(statistics.confusion, tally.confusion)
        XCTAssertEqual(statistics.rowsPerBlock, 10)
        XCTAssertEqual(statistics.blocks, [FeedbackStatistics.Block(firstID: 1, lastID: 4, predictions: 3, confirmed: 2)])
        let today = String(try XCTUnwrap(store.row(id: 5)).date.prefix(10))
        XCTAssertEqual(
            statistics.days, [FeedbackStatistics.Day(day: today, rows: 5, counted: 3, held: 1, rejected: 1, predictions: 3, confirmed: 2)])
        XCTAssertEqual(try store.recentReviews(limit: 2), ["an admin's row", "Held back"])
    }
}
