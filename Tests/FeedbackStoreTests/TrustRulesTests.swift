import Foundation
import GRDB
import TestSupport
import XCTest

@testable import FeedbackStore

/// The trust rules as `FeedbackStore.insert(_:policy:)` applies them to real rows: each decision
/// made from the rows before it, stored with the row.
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

    func testAClientsRepeatOfATextOrANearVariantWithTheSameLabelIsARepeatButAnotherLabelCounts() throws {
        let store = try store()
        let policy = TrustPolicy()
        let outcomes = try [
            feedback("Loved it. A fine film! #17"), feedback("loved it, a FINE film #18"), feedback("Loved it. A fine film! #17", 0),
            feedback("Loved it. A fine film! #19", 1, client: "client-b"),
        ].map { try store.insert($0, policy: policy) }
        XCTAssertEqual(states(outcomes), [.counts, .repeated, .counts, .counts])
        let rows = try store.rows(after: 0, limit: 10)
        XCTAssertEqual(rows.map(\.state), [.counts, .repeated, .counts, .counts])
        XCTAssertEqual(rows.map(\.client), ["client-a", "client-a", "client-a", "client-b"])
        XCTAssertNil(rows[1].repeatOf, "the application's rows are judged when stored, not by the book's rule")
    }

    func testPastItsBudgetAClientsRowsAreHeldAndPastItsLimitRefused() throws {
        let store = try store()
        let policy = TrustPolicy(budget: 3, storedLimit: 5)
        let outcomes = try (0..<7).map { try store.insert(feedback("Review number \(String(repeating: "x", count: $0 + 1))"), policy: policy) }
        XCTAssertEqual(states(outcomes), [.counts, .counts, .counts, .overBudget, .overBudget, nil, nil])
        XCTAssertEqual(outcomes.last, .refused)
        XCTAssertEqual(try store.rows(after: 0, limit: 10).count, 5, "refused rows are not stored")
        XCTAssertEqual(try store.insert(feedback("Another client's review", client: "client-b"), policy: policy), .stored(id: 6, state: .counts))
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

    func testCorrectingAConfidentVerdictNeedsAgreementFromDistinctClients() throws {
        let store = try store()
        let policy = TrustPolicy(agreement: 3, confidence: 0.95)
        // The model said positive at 0.99; the visitors say negative.
        let against = { (review: String, client: String) in self.feedback(review, 0, client: client, probability: 0.99) }
        let outcomes = try [
            against("A true masterpiece. #1", "client-a"), against("A true masterpiece! #2", "client-a"), against("a true masterpiece", "client-b"),
            against("A TRUE masterpiece #3", "client-c"), against("A true masterpiece. #4", "client-d"),
        ].map { try store.insert($0, policy: policy) }
        XCTAssertEqual(states(outcomes), [.needsAgreement, .repeated, .needsAgreement, .counts, .counts])
        // A correction the model was not sure of needs no agreement.
        XCTAssertEqual(
            states([try store.insert(self.feedback("An average film", 0, client: "client-e", probability: 0.7), policy: policy)]), [.counts])
    }

    func testRejectedRowsDoNotCountTowardsAgreement() throws {
        let store = try store()
        let policy = TrustPolicy(agreement: 2, confidence: 0.95)
        _ = try store.insert(feedback("A true masterpiece", 0, client: "client-a", probability: 0.99), policy: policy)
        _ = try store.setRejected(true, ids: [1])
        XCTAssertEqual(
            states([try store.insert(feedback("A true masterpiece!", 0, client: "client-b", probability: 0.99), policy: policy)]), [.needsAgreement])
    }

    func testAcceptingAHeldRowMakesItCountAndMovesTheGeneration() throws {
        let store = try store()
        let policy = TrustPolicy(budget: 0, storedLimit: 10)
        _ = try store.insert(feedback("Held for an admin"), policy: policy)
        XCTAssertEqual(try store.rows(after: 0, limit: 10, filter: .held).map(\.id), [1])
        let generation = try store.generation()
        XCTAssertEqual(try store.setRejected(false, ids: [1]).changed, [1])
        XCTAssertEqual(try store.row(id: 1)?.state, .accepted)
        XCTAssertEqual(try store.generation(), generation + 1)
        XCTAssertEqual(try store.rows(after: 0, limit: 10, filter: .held).count, 0)
        XCTAssertEqual(try store.setRejected(false, ids: [1]).unchanged, [1], "accepted already")
    }

    func testTheBusiestClientsAreSummedUpWithTheirCountedAndHeldRows() throws {
        let store = try store()
        let policy = TrustPolicy(budget: 2, storedLimit: 10)
        for number in 0..<4 { _ = try store.insert(feedback("Review \(String(repeating: "y", count: number + 1))"), policy: policy) }
        _ = try store.insert(feedback("Someone else's", client: "client-b"), policy: policy)
        _ = try store.insert(review: "an admin's row", sentiment: 1)
        let clients = try store.clients(limit: 10)
        XCTAssertEqual(clients.map(\.client), ["client-a", "client-b"], "rows without a client are an admin's")
        XCTAssertEqual(clients.map(\.rows), [4, 1])
        XCTAssertEqual(clients.map(\.counted), [2, 1])
        XCTAssertEqual(clients.map(\.held), [2, 0])
        XCTAssertEqual(try store.ids(ofClient: "client-a"), [1, 2, 3, 4])
    }

    func testWithTheRulesOffEveryRowCounts() throws {
        let store = try store()
        let policy = TrustPolicy(budget: 0, storedLimit: 0, enabled: false)
        let outcomes = try (0..<3).map { _ in try store.insert(feedback("The same review", 0, probability: 0.99), policy: policy) }
        XCTAssertEqual(states(outcomes), [.counts, .counts, .counts])
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
