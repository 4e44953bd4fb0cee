import FeedbackStore
import PostgreSQLFeedbackStore
import TestSupport
import XCTest

/// What the trust rules keep in PostgreSQL's own tables, beyond what every log promises
/// (`PostgreSQLFeedbackLogContractTests`).
final class PostgreSQLTrustRulesTests: PostgreSQLFeedbackStoreTestCase {
    func testAVisitorsRowKeepsItsVariantKeyAndTheModelsProbabilityInTheirColumns() throws {
        _ = try store().insert(feedback("Loved it. A fine film! #17"), policy: TrustPolicy())
        XCTAssertEqual(
            try connect().execute("SELECT variant, p_positive FROM review_db WHERE id = 1").rows,
            [[ReviewVariant.key(of: "Loved it. A fine film! #17"), "0.6"]])
    }

    func testRefusalsMoveNoBudget() throws {
        let store = try store()
        let policy = TrustPolicy(budget: 3, storedLimit: 5)
        for number in 0..<7 { _ = try store.insert(feedback("Review number \(String(repeating: "x", count: number + 1))"), policy: policy) }
        XCTAssertEqual(try connect().execute("SELECT stored, counted FROM feedback_budget").rows, [["5", "3"]])
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

}
