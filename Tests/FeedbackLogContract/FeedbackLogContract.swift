import FeedbackStore
import Foundation
import XCTest

/// The promises of `FeedbackLog` that every engine must keep, written once and run against
/// each: `FeedbackStoreTests` on an SQLite file, `PostgreSQLFeedbackStoreTests` on a server the
/// test starts. Each check opens what it needs with `open` (another worker or host of the
/// same, empty log) and reports its failures at the test that ran it.
public struct FeedbackLogContract {
    /// Opens a new connection to the test's log, empty at the check's start.
    let open: () throws -> any FeedbackLog

    public init(open: @escaping () throws -> any FeedbackLog) {
        self.open = open
    }

    // MARK: Rows

    public func checkInsertedRowsComeBackInIdOrderWithTheirFields(file: StaticString = #filePath, line: UInt = #line) throws {
        let log = try open()
        let before = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        XCTAssertEqual(try log.insert(review: "a moving film", sentiment: 1), 1, file: file, line: line)
        XCTAssertEqual(try log.insert(review: "dull", sentiment: 0), 2, file: file, line: line)
        XCTAssertEqual(try log.insert(review: "Ünïcode ✓ 'quoted'", sentiment: 1), 3, file: file, line: line)
        let after = Date()
        let rows = try log.rows(after: 0, limit: 10)
        XCTAssertEqual(rows.map(\.id), [1, 2, 3], file: file, line: line)
        XCTAssertEqual(rows.map(\.review), ["a moving film", "dull", "Ünïcode ✓ 'quoted'"], file: file, line: line)
        XCTAssertEqual(rows.map(\.sentiment), [1, 0, 1], file: file, line: line)
        XCTAssertEqual(rows.map(\.rejected), [false, false, false], file: file, line: line)
        XCTAssertEqual(rows.map(\.state), [.counts, .counts, .counts], file: file, line: line)
        XCTAssertEqual(rows.map(\.client), [nil, nil, nil], file: file, line: line)
        for row in rows {
            let date = try XCTUnwrap(Self.utc.date(from: row.date), "\(row.date) is not YYYY-MM-DD HH:MM:SS", file: file, line: line)
            XCTAssertTrue(date >= before && date <= after, "\(row.date) is not the current UTC time", file: file, line: line)
        }
    }

    public func checkRowsAreReadInBatchesAfterAnIdAndThroughAnId(file: StaticString = #filePath, line: UInt = #line) throws {
        let log = try open()
        XCTAssertEqual(try log.latestID(), 0, file: file, line: line)
        XCTAssertEqual(try log.snapshot(), FeedbackSnapshot(latestID: 0, generation: 0), file: file, line: line)
        for index in 1...5 { try log.insert(review: "review \(index)", sentiment: index % 2) }
        XCTAssertEqual(try log.rows(after: 0, limit: 2).map(\.id), [1, 2], file: file, line: line)
        XCTAssertEqual(try log.rows(after: 2, limit: 2).map(\.id), [3, 4], file: file, line: line)
        XCTAssertEqual(try log.rows(after: 4, limit: 2).map(\.review), ["review 5"], file: file, line: line)
        XCTAssertEqual(try log.rows(after: 5, limit: 2), [], file: file, line: line)
        XCTAssertEqual(try log.rows(after: 1, through: 3, limit: 10).map(\.id), [2, 3], file: file, line: line)
        XCTAssertEqual(try log.row(id: 4)?.review, "review 4", file: file, line: line)
        XCTAssertNil(try log.row(id: 6), file: file, line: line)
        var seen: [Int64] = []
        XCTAssertEqual(try log.forEachRow(after: 1, limit: 3) { seen.append($0.id) }, 3, file: file, line: line)
        XCTAssertEqual(seen, [2, 3, 4], file: file, line: line)
        XCTAssertEqual(try log.latestID(), 5, file: file, line: line)
    }

    public func checkRejectingAndAcceptingMoveTheGenerationOnlyWhenARowChanges(file: StaticString = #filePath, line: UInt = #line) throws {
        let log = try open()
        for index in 1...3 { try log.insert(review: "review \(index)", sentiment: 1) }
        XCTAssertEqual(try log.generation(), 0, file: file, line: line)
        XCTAssertEqual(
            try log.setRejected(true, ids: [1, 2, 9]), RejectionChange(changed: [1, 2], unchanged: [], missing: [9]), file: file, line: line)
        XCTAssertEqual(try log.generation(), 1, "one decision for both rows", file: file, line: line)
        XCTAssertEqual(try log.setRejected(true, ids: [2]), RejectionChange(changed: [], unchanged: [2], missing: []), file: file, line: line)
        XCTAssertEqual(try log.generation(), 1, file: file, line: line)
        XCTAssertEqual(try log.setRejected(false, ids: [2]).changed, [2], file: file, line: line)
        XCTAssertEqual(try log.snapshot(), FeedbackSnapshot(latestID: 3, generation: 2), file: file, line: line)
        XCTAssertEqual(try log.rows(after: 0, limit: 10).map(\.rejected), [true, false, false], file: file, line: line)
        XCTAssertEqual(try log.rows(after: 0, limit: 10, filter: .rejected).map(\.id), [1], file: file, line: line)
        XCTAssertEqual(try log.rows(after: 0, limit: 10, filter: .notRejected).map(\.id), [2, 3], file: file, line: line)
    }

    public func checkTheNewsAreTheGenerationAndTheRowsAfterAnId(file: StaticString = #filePath, line: UInt = #line) throws {
        let log = try open()
        let empty = try log.news(after: 0, limit: 10)
        XCTAssertEqual(empty.generation, 0, file: file, line: line)
        XCTAssertEqual(empty.rows, [], file: file, line: line)
        for index in 1...4 { try log.insert(review: "review \(index)", sentiment: 1) }
        _ = try log.setRejected(true, ids: [2])
        let news = try log.news(after: 1, limit: 2)
        XCTAssertEqual(news.generation, 1, file: file, line: line)
        XCTAssertEqual(news.rows, try log.rows(after: 1, limit: 2), file: file, line: line)
        XCTAssertEqual(news.rows.map(\.id), [2, 3], file: file, line: line)
        XCTAssertEqual(news.rows.map(\.rejected), [true, false], file: file, line: line)
        XCTAssertEqual(try log.news(after: 4, limit: 2).rows, [], file: file, line: line)
    }

    /// Another worker's or host's insert and decision are reported by `hasChanged()` (at once,
    /// or within a few seconds where it travels as a notification), once each.
    public func checkAnotherLogsInsertAndDecisionAreReportedOnce(file: StaticString = #filePath, line: UInt = #line) throws {
        let worker = try open()
        _ = try worker.hasChanged()
        XCTAssertFalse(try worker.hasChanged(), file: file, line: line)
        let other = try open()
        try other.insert(review: "from elsewhere", sentiment: 1)
        XCTAssertTrue(try Self.reportsAChange(worker), file: file, line: line)
        XCTAssertFalse(try worker.hasChanged(), "reported once", file: file, line: line)
        _ = try other.setRejected(true, ids: [1])
        XCTAssertTrue(try Self.reportsAChange(worker), "a decision", file: file, line: line)
        XCTAssertEqual(try worker.generation(), 1, file: file, line: line)
    }

    // MARK: Trust rules

    public func checkAClientsRepeatOfATextOrANearVariantWithTheSameLabelIsARepeatButAnotherLabelCounts(
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let log = try open()
        let outcomes = try [
            Self.feedback("Loved it. A fine film! #17"), Self.feedback("loved it, a FINE film #18"), Self.feedback("Loved it. A fine film! #17", 0),
            Self.feedback("Loved it. A fine film! #19", 1, client: "client-b"),
        ].map { try log.insert($0, policy: TrustPolicy()) }
        XCTAssertEqual(Self.states(outcomes), [.counts, .repeated, .counts, .counts], file: file, line: line)
        let rows = try log.rows(after: 0, limit: 10)
        XCTAssertEqual(rows.map(\.id), [1, 2, 3, 4], file: file, line: line)
        XCTAssertEqual(rows.map(\.state), [.counts, .repeated, .counts, .counts], file: file, line: line)
        XCTAssertEqual(rows.map(\.client), ["client-a", "client-a", "client-a", "client-b"], file: file, line: line)
        XCTAssertNil(rows[1].repeatOf, "the application's rows are judged when stored, not by the book's rule", file: file, line: line)
    }

    public func checkPastItsBudgetAClientsRowsAreHeldAndPastItsLimitRefused(file: StaticString = #filePath, line: UInt = #line) throws {
        let log = try open()
        let policy = TrustPolicy(budget: 3, storedLimit: 5)
        let outcomes = try (0..<7).map { try log.insert(Self.feedback("Review number \(String(repeating: "x", count: $0 + 1))"), policy: policy) }
        XCTAssertEqual(Self.states(outcomes), [.counts, .counts, .counts, .overBudget, .overBudget, nil, nil], file: file, line: line)
        XCTAssertEqual(outcomes.last, .refused, file: file, line: line)
        XCTAssertEqual(try log.rows(after: 0, limit: 10).count, 5, "refused rows are not stored", file: file, line: line)
        XCTAssertEqual(
            try log.insert(Self.feedback("Another client's review", client: "client-b"), policy: policy), .stored(id: 6, state: .counts),
            file: file, line: line)
    }

    public func checkCorrectingAConfidentVerdictNeedsAgreementFromDistinctClients(file: StaticString = #filePath, line: UInt = #line) throws {
        let log = try open()
        let policy = TrustPolicy(agreement: 3, confidence: 0.95)
        // The model said positive at 0.99; the visitors say negative.
        let against = { (review: String, client: String) in Self.feedback(review, 0, client: client, probability: 0.99) }
        let outcomes = try [
            against("A true masterpiece. #1", "client-a"), against("A true masterpiece! #2", "client-a"), against("a true masterpiece", "client-b"),
            against("A TRUE masterpiece #3", "client-c"), against("A true masterpiece. #4", "client-d"),
        ].map { try log.insert($0, policy: policy) }
        XCTAssertEqual(Self.states(outcomes), [.needsAgreement, .repeated, .needsAgreement, .counts, .counts], file: file, line: line)
        // A correction the model was not sure of needs no agreement.
        XCTAssertEqual(
            Self.states([try log.insert(Self.feedback("An average film", 0, client: "client-e", probability: 0.7), policy: policy)]), [.counts],
            file: file, line: line)
    }

    /// Agreement counts the rows every worker or host stored, and a client's own vote through
    /// another is still its own.
    public func checkAgreementCountsTheClientsOfEveryWriter(file: StaticString = #filePath, line: UInt = #line) throws {
        let policy = TrustPolicy(agreement: 2, confidence: 0.95)
        let (first, second) = (try open(), try open())
        _ = try first.insert(Self.feedback("A true masterpiece", 0, client: "client-a", probability: 0.99), policy: policy)
        XCTAssertEqual(
            Self.states([try second.insert(Self.feedback("A true masterpiece!", 0, client: "client-b", probability: 0.99), policy: policy)]),
            [.counts], file: file, line: line)
        XCTAssertEqual(
            Self.states([try second.insert(Self.feedback("A true masterpiece?", 0, client: "client-a", probability: 0.99), policy: policy)]),
            [.repeated], "the other writer's row is the client's own vote", file: file, line: line)
    }

    public func checkRejectedRowsDoNotCountTowardsAgreement(file: StaticString = #filePath, line: UInt = #line) throws {
        let log = try open()
        let policy = TrustPolicy(agreement: 2, confidence: 0.95)
        _ = try log.insert(Self.feedback("A true masterpiece", 0, client: "client-a", probability: 0.99), policy: policy)
        _ = try log.setRejected(true, ids: [1])
        XCTAssertEqual(
            Self.states([try log.insert(Self.feedback("A true masterpiece!", 0, client: "client-b", probability: 0.99), policy: policy)]),
            [.needsAgreement], file: file, line: line)
    }

    public func checkAcceptingAHeldRowMakesItCountAndMovesTheGeneration(file: StaticString = #filePath, line: UInt = #line) throws {
        let log = try open()
        _ = try log.insert(Self.feedback("Held for an admin"), policy: TrustPolicy(budget: 0, storedLimit: 10))
        XCTAssertEqual(try log.rows(after: 0, limit: 10, filter: .held).map(\.id), [1], file: file, line: line)
        let generation = try log.generation()
        XCTAssertEqual(try log.setRejected(false, ids: [1]).changed, [1], file: file, line: line)
        XCTAssertEqual(try log.row(id: 1)?.state, .accepted, file: file, line: line)
        XCTAssertEqual(try log.generation(), generation + 1, file: file, line: line)
        XCTAssertEqual(try log.rows(after: 0, limit: 10, filter: .held).count, 0, file: file, line: line)
        XCTAssertEqual(try log.setRejected(false, ids: [1]).unchanged, [1], "accepted already", file: file, line: line)
    }

    public func checkTheBusiestClientsAreSummedUpWithTheirCountedAndHeldRows(file: StaticString = #filePath, line: UInt = #line) throws {
        let log = try open()
        let policy = TrustPolicy(budget: 2, storedLimit: 10)
        for number in 0..<4 { _ = try log.insert(Self.feedback("Review \(String(repeating: "y", count: number + 1))"), policy: policy) }
        _ = try log.insert(Self.feedback("Someone else's", client: "client-b"), policy: policy)
        _ = try log.insert(Self.feedback("And a third's", client: "Client-c"), policy: policy)
        _ = try log.insert(review: "an admin's row", sentiment: 1)
        _ = try log.setRejected(true, ids: [1])
        let clients = try log.clients(limit: 10)
        XCTAssertEqual(
            clients.map(\.client), ["client-a", "Client-c", "client-b"], "rows without a client are an admin's; ties bytewise", file: file, line: line
        )
        XCTAssertEqual(clients.map(\.rows), [4, 1, 1], file: file, line: line)
        XCTAssertEqual(clients.map(\.counted), [1, 1, 1], file: file, line: line)
        XCTAssertEqual(clients.map(\.held), [2, 0, 0], file: file, line: line)
        XCTAssertEqual(clients.map(\.rejected), [1, 0, 0], file: file, line: line)
        XCTAssertEqual(clients[0].latest, try log.row(id: 4)?.date, file: file, line: line)
        XCTAssertEqual(try log.clients(limit: 1).count, 1, file: file, line: line)
        XCTAssertEqual(try log.ids(ofClient: "client-a"), [1, 2, 3, 4], file: file, line: line)
        XCTAssertEqual(try log.rows(after: 0, limit: 10, filter: .client("client-b")).map(\.id), [5], file: file, line: line)
    }

    public func checkWithTheRulesOffEveryRowCounts(file: StaticString = #filePath, line: UInt = #line) throws {
        let log = try open()
        let policy = TrustPolicy(budget: 0, storedLimit: 0, enabled: false)
        let outcomes = try (0..<3).map { _ in try log.insert(Self.feedback("The same review", 0, probability: 0.99), policy: policy) }
        XCTAssertEqual(Self.states(outcomes), [.counts, .counts, .counts], file: file, line: line)
    }

    // MARK: Pieces

    /// A visitor's feedback: by default a positive review the model was unsure of.
    static func feedback(_ review: String, _ sentiment: Int = 1, client: String = "client-a", probability: Double = 0.6) -> NewFeedback {
        NewFeedback(review: review, sentiment: sentiment, client: client, probabilityPositive: probability)
    }

    static func states(_ outcomes: [InsertOutcome]) -> [FeedbackState?] {
        outcomes.map { outcome in
            if case .stored(_, let state) = outcome { return state }
            return nil
        }
    }

    /// Whether `log` reports a change within `seconds`.
    static func reportsAChange(_ log: any FeedbackLog, seconds: Double = 5) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try log.hasChanged() { return true }
            usleep(1_000)
        }
        return false
    }

    /// How every log writes a row's date: UTC, `YYYY-MM-DD HH:MM:SS`.
    public static let utc: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter
    }()
}
