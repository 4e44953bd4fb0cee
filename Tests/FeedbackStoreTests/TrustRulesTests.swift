import Foundation
import GRDB
import TestSupport
import XCTest

@testable import FeedbackStore

/// The trust rules in the SQLite store's own tables and keys, beyond what every log promises
/// (`FeedbackLogContractTests`): budget windows, variant keys, the book's database.
final class TrustRulesTests: ScratchFolderTestCase {
    func store() throws -> FeedbackStore {
        try FeedbackStore(path: folder.path("feedback.sqlite"))
    }

    /// A positive review the model was unsure of (P(positive) 0.6).
    func feedback(_ review: String, _ sentiment: Int = 1, client: String = "client-a", probability: Double = 0.6) -> NewFeedback {
        NewFeedback(review: review, sentiment: sentiment, client: client, probabilityPositive: probability)
    }

    func states(_ outcomes: [InsertOutcome]) -> [FeedbackState?] {
        outcomes.map { outcome in
            if case .stored(_, let state) = outcome { return state }
            return nil
        }
    }

    func testOnlyRowsOfTheCurrentWindowCountTowardsTheBudget() throws {
        let store = try store()
        let policy = TrustPolicy(budget: 1, storedLimit: 2, windowSeconds: 3600)
        XCTAssertEqual(states([try store.insert(feedback("First review"), policy: policy)]), [.counts])
        // As if the first row had been stored in the previous hour's window.
        try DatabaseQueue(path: folder.path("feedback.sqlite")).write { db in
            try db.execute(sql: "UPDATE feedback_budget SET window = window - 1")
        }
        XCTAssertEqual(states([try store.insert(feedback("Second review"), policy: policy)]), [.counts], "a new window")
        XCTAssertEqual(states([try store.insert(feedback("Third review"), policy: policy)]), [.overBudget])
        let windows = try DatabaseQueue(path: folder.path("feedback.sqlite")).read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM feedback_budget")
        }
        XCTAssertEqual(windows, 1, "the client's past windows are dropped")
    }

    func testAStoredRowIsDescribedAsEveryReaderReadsItWithTheLogBeforeIt() throws {
        let store = try store()
        let other = try self.store()
        let policy = TrustPolicy(budget: 1, storedLimit: 2, windowSeconds: 3600)
        try other.insert(review: "the book's row", sentiment: 0)
        _ = try other.setRejected(true, ids: [1])
        let count = try XCTUnwrap(store.changeCount)
        for (review, state) in [("First review", FeedbackState.counts), ("Second review", .overBudget)] {
            let (outcome, described) = try store.insertDescribing(feedback(review), policy: policy)
            let stored = try XCTUnwrap(described, review)
            XCTAssertEqual(outcome, .stored(id: stored.row.id, state: state))
            XCTAssertEqual([stored.row], try store.rows(after: stored.row.id - 1, limit: 1), review)
            XCTAssertEqual(stored.generation, try store.generation(), "after the rejection")
            XCTAssertEqual(stored.countBefore, count + stored.row.id - 2, "the counter as this insert found it")
        }
        let (refused, nothing) = try store.insertDescribing(feedback("Third review"), policy: policy)
        XCTAssertEqual(refused, .refused)
        XCTAssertNil(nothing)
        XCTAssertEqual(store.changeCount, count + 2, "a refusal announces nothing")
    }

    func testVariantKeysIgnoreEverythingButTheLettersAndTheirCase() {
        XCTAssertEqual(ReviewVariant.key(of: "Loved it. #17"), ReviewVariant.key(of: "loved it!! #18"))
        XCTAssertEqual(ReviewVariant.key(of: "LOVED IT 😀"), ReviewVariant.key(of: "lovedit"))
        XCTAssertEqual(ReviewVariant.key(of: "Ünïcode"), ReviewVariant.key(of: "üNÏCODE"))
        XCTAssertNotEqual(ReviewVariant.key(of: "Loved it"), ReviewVariant.key(of: "Hated it"))
        XCTAssertEqual(ReviewVariant.key(of: "anything").count, 16)
    }

    /// The stored keys of earlier rows stay valid: the key is the FNV-1a hash of the lowercase
    /// mappings of the alphabetic scalars, whatever shortcut computes it.
    func testVariantKeysAreTheHashOfTheLowercasedAlphabeticScalars() {
        func reference(_ text: String) -> String {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
                for byte in scalar.properties.lowercaseMapping.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            }
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
        let ascii = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        for text in [ascii, "Straße ÉCOLE İstanbul ǅ Ωmega ﬁne 😀 ١٢٣ 漢字", "Loved it. #17", ""] {
            XCTAssertEqual(ReviewVariant.key(of: text), reference(text), text)
        }
    }

    func testTheBooksDatabaseStillMigratesAndItsRowsAreTrusted() throws {
        let path = try folder.path("reviews.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE review_db (review TEXT, sentiment INTEGER, date TEXT)")
            try db.execute(sql: "INSERT INTO review_db (review, sentiment, date) VALUES ('a fine film', 1, DATETIME('now'))")
            try db.execute(sql: "INSERT INTO review_db (review, sentiment, date) VALUES ('a fine film', 1, DATETIME('now'))")
        }
        let rows = try FeedbackStore(path: path).rows(after: 0, limit: 10)
        XCTAssertEqual(rows.map(\.state), [.counts, .counts])
        XCTAssertEqual(rows.map(\.client), [nil, nil])
        XCTAssertEqual(rows.map(\.repeatOf), [nil, 1], "the book's rows keep the old repeat rule")
    }
}
