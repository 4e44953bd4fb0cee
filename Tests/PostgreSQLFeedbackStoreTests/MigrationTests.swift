import FeedbackStore
import Foundation
import LiveModel
import PostgreSQLFeedbackStore
import SentimentModel
import TestSupport
import XCTest

/// `movieclassifier migrate`'s work: an SQLite log and its model copied into a new PostgreSQL
/// database, where a live model then holds what it held on SQLite, bit for bit.
final class MigrationTests: PostgreSQLFeedbackStoreTestCase {
    let policy = TrustPolicy(budget: 2, storedLimit: 6, agreement: 2, confidence: 0.9)

    func publication(of path: String) throws -> ModelPublication {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return ModelPublication(
            bytes: bytes, checksum: try XCTUnwrap(ModelFile.verifiedChecksum(of: bytes)), watermark: try ModelFile.load(from: path).watermark,
            origin: "migrate")
    }

    func testAMigratedLogBuildsTheSameLiveModelBitForBitAndGoesOnAfterItsLastID() throws {
        let scratch = try ScratchFolder("migrate")
        defer { scratch.remove() }
        let sqlite = try FeedbackStore(path: scratch.path + "/feedback.sqlite")
        let sqliteModel = scratch.path + "/sqlite-host.mcm"
        try ModelFile.save(TwoHostsLiveModelTests.smallModel(), to: sqliteModel)
        let live = try LiveClassifier(modelPath: sqliteModel, store: sqlite)
        // Rows of every kind: counted, over the budget, a repeat of one's own vote, a confident
        // verdict corrected (held for agreement), an admin's, a repeat of it, a rejected one.
        var outcomes: [InsertOutcome] = []
        for text in ["superb and moving", "moving and wonderful", "wonderful superb", "superb and moving"] {
            outcomes.append(try live.recordFeedback(review: text, sentiment: .positive, client: "client-a", policy: policy))
        }
        outcomes.append(try live.recordFeedback(review: "awful dreadful boring", sentiment: .positive, client: "client-b", policy: policy))
        try live.recordFeedback(review: "dreadful and boring", sentiment: .negative)
        try sqlite.insert(review: "dreadful and boring", sentiment: 0)
        let rejected = try live.recordFeedback(review: "superb wonderful moving", sentiment: .negative, client: "client-c", policy: policy)
        guard case .stored(let rejectedID, _) = rejected else { return XCTFail("\(rejected)") }
        _ = try sqlite.setRejected(true, ids: [rejectedID])
        _ = try live.classify("superb")
        XCTAssertGreaterThanOrEqual(Set(outcomes.compactMap { if case .stored(_, let state) = $0 { state } else { nil } }).count, 3, "\(outcomes)")

        let report = try store().migrate(from: sqlite, model: try publication(of: sqliteModel))
        XCTAssertEqual(report.rows, 8)
        XCTAssertEqual(report.latestID, 8)
        XCTAssertEqual(report.rejected, 1)
        XCTAssertEqual(report.generation, 1)
        XCTAssertEqual(report.model?.id, 1)
        XCTAssertGreaterThan(report.budgets, 0)

        // A host on the new database, given another file: it copies the migrated version.
        let postgresModel = scratch.path + "/postgresql-host.mcm"
        try ModelFile.save(SharedModelTests.otherModel(), to: postgresModel)
        let postgres = try store()
        let migrated = try LiveClassifier(modelPath: postgresModel, store: postgres)
        XCTAssertEqual(ModelFile.encode(migrated.classifier), ModelFile.encode(live.classifier), "the same live model, bit for bit")
        XCTAssertEqual(migrated.modelVersion, live.modelVersion)
        XCTAssertEqual(try postgres.rows(after: 0, limit: 100), try sqlite.rows(after: 0, limit: 100), "ids, dates, states, decisions, repeats")
        XCTAssertEqual(try postgres.clients(limit: 10), try sqlite.clients(limit: 10))
        XCTAssertEqual(try postgres.generation(), try sqlite.generation())

        // The budgets came too: client-a is still over it, on either log.
        let next = NewFeedback(review: "a superb film, moving", sentiment: 1, client: "client-a", probabilityPositive: 0.6)
        let onPostgres = try postgres.insert(next, policy: policy)
        XCTAssertEqual(onPostgres, try sqlite.insert(next, policy: policy))
        XCTAssertEqual(onPostgres, .stored(id: 9, state: .overBudget), "after the last id copied")

        XCTAssertThrowsError(try store().migrate(from: sqlite, model: try publication(of: sqliteModel))) { error in
            XCTAssertTrue("\(error)".contains("already holds feedback or a model"), "\(error)")
        }
    }

    func testAMigrationInterruptedPartWayLeavesTheDatabaseEmpty() throws {
        let scratch = try ScratchFolder("migrate-interrupted")
        defer { scratch.remove() }
        let sqlite = try FeedbackStore(path: scratch.path + "/feedback.sqlite")
        for index in 0..<(PostgreSQLFeedbackStore.migrationBatchSize + 5) { try sqlite.insert(review: "review \(index)", sentiment: index % 2) }
        let model = scratch.path + "/model.mcm"
        try ModelFile.save(TwoHostsLiveModelTests.smallModel(), to: model)
        // A server whose statements time out once the first batch is in: the second fails.
        let target = try store(statementTimeout: .seconds(5))
        let observer = try connect()
        try observer.execute("CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(10); RETURN NULL; END $$")
        try observer.execute("CREATE TRIGGER slow AFTER INSERT ON feedback_budget FOR EACH STATEMENT EXECUTE FUNCTION slow()")
        try sqlite.insert(NewFeedback(review: "a budget row", sentiment: 1, client: "c", probabilityPositive: 0.5), policy: policy)
        XCTAssertThrowsError(try target.migrate(from: sqlite, model: try publication(of: model)))
        XCTAssertEqual(try observer.execute("SELECT count(*) FROM review_db").int64(0, 0), 0, "one transaction: nothing stays")
        XCTAssertEqual(try observer.execute("SELECT count(*) FROM model_version").int64(0, 0), 0)
    }
}
