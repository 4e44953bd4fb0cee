import FeedbackStore
import PostgreSQLFeedbackStore
import TestSupport
import XCTest

/// The trust rules as `PostgreSQLFeedbackStore.insert(_:policy:)` applies them to real rows,
/// as TrustRulesTests pins them for SQLite: each decision made from the rows before it, stored
/// with the row.
final class PostgreSQLTrustRulesTests: PostgreSQLFeedbackStoreTestCase {
    func testAClientsRepeatOfATextOrANearVariantWithTheSameLabelIsARepeatButAnotherLabelCounts() throws {
        let store = try store()
        let policy = TrustPolicy()
        let outcomes = try [
            feedback("Loved it. A fine film! #17"), feedback("loved it, a FINE film #18"), feedback("Loved it. A fine film! #17", 0),
            feedback("Loved it. A fine film! #19", 1, client: "client-b"),
        ].map { try store.insert($0, policy: policy) }
        XCTAssertEqual(states(outcomes), [.counts, .repeated, .counts, .counts])
        let rows = try store.rows(after: 0, limit: 10)
        XCTAssertEqual(rows.map(\.id), [1, 2, 3, 4])
        XCTAssertEqual(rows.map(\.state), [.counts, .repeated, .counts, .counts])
        XCTAssertEqual(rows.map(\.client), ["client-a", "client-a", "client-a", "client-b"])
        XCTAssertNil(rows[1].repeatOf, "the application's rows are judged when stored, not by the book's rule")
        XCTAssertEqual(
            try connect().execute("SELECT variant, p_positive FROM review_db WHERE id = 1").rows,
            [[ReviewVariant.key(of: "Loved it. A fine film! #17"), "0.6"]])
    }

    func testPastItsBudgetAClientsRowsAreHeldAndPastItsLimitRefused() throws {
        let store = try store()
        let policy = TrustPolicy(budget: 3, storedLimit: 5)
        let outcomes = try (0..<7).map { try store.insert(feedback("Review number \(String(repeating: "x", count: $0 + 1))"), policy: policy) }
        XCTAssertEqual(states(outcomes), [.counts, .counts, .counts, .overBudget, .overBudget, nil, nil])
        XCTAssertEqual(outcomes.last, .refused)
        XCTAssertEqual(try store.rows(after: 0, limit: 10).count, 5, "refused rows are not stored")
        XCTAssertEqual(try connect().execute("SELECT stored, counted FROM feedback_budget").rows, [["5", "3"]], "refusals move no budget")
        XCTAssertEqual(try store.insert(feedback("Another client's review", client: "client-b"), policy: policy), .stored(id: 6, state: .counts))
    }

    func testOnlyRowsOfTheCurrentWindowCountTowardsTheBudget() throws {
        let store = try store()
        let policy = TrustPolicy(budget: 1, storedLimit: 2, windowSeconds: 3600)
        XCTAssertEqual(states([try store.insert(feedback("First review"), policy: policy)]), [.counts])
        // As if the first row had been stored in the previous hour's window.
        let admin = try connect()
        try admin.execute("UPDATE feedback_budget SET \"window\" = \"window\" - 1")
        XCTAssertEqual(states([try store.insert(feedback("Second review"), policy: policy)]), [.counts], "a new window")
        XCTAssertEqual(states([try store.insert(feedback("Third review"), policy: policy)]), [.overBudget])
        XCTAssertEqual(try admin.execute("SELECT count(*) FROM feedback_budget").int64(0, 0), 1, "the client's past windows are dropped")
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

    func testAgreementCountsTheClientsOfEveryHost() throws {
        let policy = TrustPolicy(agreement: 2, confidence: 0.95)
        let hostA = try store()
        let hostB = try store()
        _ = try hostA.insert(feedback("A true masterpiece", 0, client: "client-a", probability: 0.99), policy: policy)
        XCTAssertEqual(
            states([try hostB.insert(feedback("A true masterpiece!", 0, client: "client-b", probability: 0.99), policy: policy)]), [.counts])
        XCTAssertEqual(
            states([try hostB.insert(feedback("A true masterpiece?", 0, client: "client-a", probability: 0.99), policy: policy)]), [.repeated],
            "the first host's row is the client's own vote")
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
        _ = try store.insert(feedback("And a third's", client: "Client-c"), policy: policy)
        _ = try store.insert(review: "an admin's row", sentiment: 1)
        _ = try store.setRejected(true, ids: [1])
        let clients = try store.clients(limit: 10)
        XCTAssertEqual(clients.map(\.client), ["client-a", "Client-c", "client-b"], "rows without a client are an admin's; ties bytewise")
        XCTAssertEqual(clients.map(\.rows), [4, 1, 1])
        XCTAssertEqual(clients.map(\.counted), [1, 1, 1])
        XCTAssertEqual(clients.map(\.held), [2, 0, 0])
        XCTAssertEqual(clients.map(\.rejected), [1, 0, 0])
        XCTAssertEqual(clients[0].latest, try store.row(id: 4)?.date)
        XCTAssertEqual(try store.clients(limit: 1).count, 1)
        XCTAssertEqual(try store.ids(ofClient: "client-a"), [1, 2, 3, 4])
        XCTAssertEqual(try store.rows(after: 0, limit: 10, filter: .client("client-b")).map(\.id), [5])
    }

    func testWithTheRulesOffEveryRowCounts() throws {
        let store = try store()
        let policy = TrustPolicy(budget: 0, storedLimit: 0, enabled: false)
        let outcomes = try (0..<3).map { _ in try store.insert(feedback("The same review", 0, probability: 0.99), policy: policy) }
        XCTAssertEqual(states(outcomes), [.counts, .counts, .counts])
    }
}
