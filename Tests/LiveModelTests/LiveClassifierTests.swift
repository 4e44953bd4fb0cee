import FeedbackStore
import Foundation
import GRDB
import LiveModel
import SentimentModel
import TestSupport
import XCTest

final class LiveClassifierTests: XCTestCase {
    var folder = ""
    var modelPath: String { folder + "/classifier.mcm" }
    var databasePath: String { folder + "/feedback.sqlite" }

    override func setUpWithError() throws {
        folder = try ScratchFolder("live-model").path
        try ModelFile.save(Self.smallModel(), to: modelPath)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    /// A model small enough to build in microseconds, trained enough to have nonzero weights.
    static func smallModel() -> SentimentClassifier {
        var classifier = SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 12))
        classifier.partialFit([
            LabeledSample(text: "wonderful superb moving", sentiment: .positive),
            LabeledSample(text: "awful dreadful boring", sentiment: .negative),
        ])
        classifier.partialFit([
            LabeledSample(text: "a moving story, superb acting", sentiment: .positive),
            LabeledSample(text: "boring plot and dreadful acting", sentiment: .negative),
        ])
        return classifier
    }

    /// The time the workers' full checks go by: it moves only when a test moves it.
    let clock = ManualClock()

    /// A worker process's live model: its own store on the shared database file.
    func worker(batchSize: Int = 1_000) throws -> LiveClassifier {
        let clock = clock
        return try LiveClassifier(modelPath: modelPath, store: FeedbackStore(path: databasePath), batchSize: batchSize) { clock.now }
    }

    /// Past the workers' full check interval: a change nothing announced is then seen.
    func waitOutTheFullCheckInterval() {
        clock.now += LiveClassifier.defaultFullCheckInterval
    }

    /// Everything that makes two models predict alike: the raw weights, scale, intercept and
    /// step counter, as bit patterns.
    func bits(_ classifier: SentimentClassifier) -> [UInt64] {
        let regression = classifier.regression
        return regression.weights.map(\.bitPattern) + [regression.scale.bitPattern, regression.intercept.bitPattern, regression.samplesSeen]
    }

    /// The one rule, spelled out: `file`, then `rows` learned in the order given.
    func expected(_ file: SentimentClassifier, learning rows: [(String, Sentiment)]) -> SentimentClassifier {
        var model = file
        for (review, sentiment) in rows { model.learn(review, sentiment: sentiment, maximumStep: FeedbackVerdict.maximumStep) }
        return model
    }

    func testAnotherWorkersFeedbackIsAppliedBeforeClassifyingAndBothAgreeBitForBit() throws {
        let a = try worker()
        let b = try worker()
        try a.recordFeedback(review: "a moving film", sentiment: .positive)
        try a.recordFeedback(review: "a dreadful plot", sentiment: .negative)
        XCTAssertEqual(a.watermark, 2)
        XCTAssertEqual(b.watermark, 0, "b has not looked yet")

        let prediction = try b.classify("superb but boring")

        XCTAssertEqual(b.watermark, 2)
        let truth = expected(Self.smallModel(), learning: [("a moving film", .positive), ("a dreadful plot", .negative)])
        XCTAssertEqual(bits(a.classifier), bits(truth))
        XCTAssertEqual(bits(b.classifier), bits(truth))
        XCTAssertNotEqual(bits(truth), bits(Self.smallModel()), "the feedback changed the model")
        XCTAssertEqual(prediction, truth.classify("superb but boring"))
        XCTAssertEqual(try a.classify("superb but boring"), prediction)
    }

    func testACorruptFileRenamedIntoPlaceKeepsTheModelHeldLearningUntilAGoodFileReplacesIt() throws {
        let live = try worker()
        try live.recordFeedback(review: "a moving film", sentiment: .positive)
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: modelPath + ".new"))
        XCTAssertEqual(rename(modelPath + ".new", modelPath), 0)
        // Renamed into place by hand, so announced by no one: seen at the next full check.
        waitOutTheFullCheckInterval()

        let held = try live.classify("superb but boring")
        XCTAssertEqual(held, expected(Self.smallModel(), learning: [("a moving film", .positive)]).classify("superb but boring"))
        let problem = try XCTUnwrap(live.modelFileProblem)
        XCTAssertTrue(problem.reason.contains(modelPath), problem.reason)
        try live.recordFeedback(review: "a dreadful plot", sentiment: .negative)
        XCTAssertEqual(live.watermark, 2, "feedback is still learned")
        XCTAssertEqual(
            bits(live.classifier), bits(expected(Self.smallModel(), learning: [("a moving film", .positive), ("a dreadful plot", .negative)]))
        )
        XCTAssertEqual(live.modelFileProblem, problem, "the same file is not tried again")

        var replacement = Self.smallModel()
        replacement.learn("wonderful", sentiment: .positive)
        try ModelFile.save(replacement, to: modelPath)
        waitOutTheFullCheckInterval()
        _ = try live.classify("superb but boring")
        XCTAssertNil(live.modelFileProblem)
        XCTAssertEqual(
            bits(live.classifier), bits(expected(replacement, learning: [("a moving film", .positive), ("a dreadful plot", .negative)])),
            "the good file, then every row after its watermark"
        )
    }

    func testAHeldRowChangesNoPredictionUntilAnAdminAcceptsItThenEveryWorkerLearnsIt() throws {
        let a = try worker()
        let b = try worker()
        let held = TrustPolicy(budget: 0, storedLimit: 10)
        let outcome = try a.recordFeedback(review: "a dreadful plot", sentiment: .negative, client: "client-a", policy: held)
        XCTAssertEqual(outcome, .stored(id: 1, state: .overBudget))
        _ = try b.classify("superb but boring")
        XCTAssertEqual(a.watermark, 1)
        XCTAssertEqual(b.watermark, 1)
        XCTAssertEqual(bits(a.classifier), bits(Self.smallModel()), "held: learned by nobody")
        XCTAssertEqual(bits(b.classifier), bits(Self.smallModel()))

        XCTAssertEqual(try FeedbackStore(path: databasePath).setRejected(false, ids: [1]).changed, [1])
        _ = try a.classify("superb but boring")
        _ = try b.classify("superb but boring")
        let truth = expected(Self.smallModel(), learning: [("a dreadful plot", .negative)])
        XCTAssertEqual(bits(a.classifier), bits(truth))
        XCTAssertEqual(bits(b.classifier), bits(truth))
    }

    func testAVisitorsFeedbackRecordsTheLiveModelsProbabilityBeforeIt() throws {
        let live = try worker()
        let before = live.classifier.classify("a moving story").probabilityPositive
        _ = try live.recordFeedback(review: "a moving story", sentiment: .negative, client: "client-a", policy: TrustPolicy())
        let stored = try DatabaseQueue(path: databasePath).read { try Double.fetchOne($0, sql: "SELECT p_positive FROM review_db") }
        XCTAssertEqual(stored, before)
    }

    func testRowsAreAppliedInIdOrderWhicheverWorkerStoredThem() throws {
        let a = try worker()
        let b = try worker()
        let feedback: [(String, Sentiment, LiveClassifier)] = [
            ("a moving film", .positive, a), ("a dreadful plot", .negative, b),
            ("superb acting", .positive, b), ("boring and long", .negative, a),
            ("wonderful", .positive, a), ("awful", .negative, b),
        ]
        for (review, sentiment, worker) in feedback { try worker.recordFeedback(review: review, sentiment: sentiment) }
        _ = try a.classify("anything")
        _ = try b.classify("anything")

        let inIdOrder = expected(Self.smallModel(), learning: feedback.map { ($0.0, $0.1) })
        XCTAssertEqual(bits(a.classifier), bits(inIdOrder))
        XCTAssertEqual(bits(b.classifier), bits(inIdOrder))
        XCTAssertEqual([a.watermark, b.watermark], [6, 6])
        let ownRowsFirst = expected(
            Self.smallModel(), learning: (feedback.filter { $0.2 === a } + feedback.filter { $0.2 === b }).map { ($0.0, $0.1) })
        XCTAssertNotEqual(bits(ownRowsFirst), bits(inIdOrder), "the order matters, so the test can tell")
    }

    func testFeedbackSurvivesWorkerRestart() throws {
        var first: LiveClassifier? = try worker()
        try first?.recordFeedback(review: "an unexpected gem", sentiment: .positive)
        try first?.recordFeedback(review: "tedious", sentiment: .negative)
        let before = try bits(XCTUnwrap(first).classifier)
        first = nil

        let restarted = try worker()

        XCTAssertEqual(bits(restarted.classifier), before)
        XCTAssertEqual(restarted.watermark, 2)
        XCTAssertNotEqual(before, bits(Self.smallModel()))
    }

    func testStartingFromAFileReplaysOnlyTheRowsAfterItsWatermark() throws {
        let store = try FeedbackStore(path: databasePath)
        for review in ["row one fine", "row two fine", "row three awful"] { try store.insert(review: review, sentiment: 1) }
        var file = expected(Self.smallModel(), learning: [("row one fine", .positive), ("row two fine", .positive)])
        file.watermark = 2
        try ModelFile.save(file, to: modelPath)

        let live = try LiveClassifier(modelPath: modelPath, store: store)

        XCTAssertEqual(bits(live.classifier), bits(expected(file, learning: [("row three awful", .positive)])))
        XCTAssertEqual(live.watermark, 3)
    }

    func testTheModelVersionIsTheFilesCRC32InEightLowercaseHexDigitsAndTheLastRowApplied() throws {
        let store = try FeedbackStore(path: databasePath)
        let checksum = try ModelFile.loadWithChecksum(from: modelPath).checksum
        let live = try LiveClassifier(modelPath: modelPath, store: store)
        XCTAssertEqual(live.modelVersion, String(format: "%08x.0", checksum))
        for review in ["row one fine", "row two fine", "row three awful"] { try store.insert(review: review, sentiment: 1) }
        try live.catchUp()
        XCTAssertEqual(live.modelVersion, String(format: "%08x.3", checksum))
    }

    func testAReplacedModelFileIsReloadedAndOnlyRowsAfterItsWatermarkReplayed() throws {
        let live = try worker()
        for review in ["row one fine", "row two fine", "row three awful"] {
            try live.recordFeedback(review: review, sentiment: .positive)
        }
        // A different model (retrained, or a rollback) that has row 1 folded in.
        var replacement = SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 12))
        replacement.partialFit([LabeledSample(text: "dreadful", sentiment: .negative), LabeledSample(text: "superb", sentiment: .positive)])
        replacement.learn("row one fine", sentiment: .positive)
        replacement.watermark = 1
        // As the update tool replaces it: under the write lock, which announces the change.
        _ = try FeedbackStore(path: databasePath).holdingWriteLock { _ in try? ModelFile.save(replacement, to: modelPath) }

        let prediction = try live.classify("fine")

        let truth = expected(replacement, learning: [("row two fine", .positive), ("row three awful", .positive)])
        XCTAssertEqual(bits(live.classifier), bits(truth))
        XCTAssertEqual(live.watermark, 3)
        XCTAssertEqual(prediction, truth.classify("fine"))
    }

    func testFoldingRowsIntoTheModelFileLeavesTheLiveModelUnchanged() throws {
        let live = try worker()
        for review in ["row one fine", "row two fine", "row three awful"] {
            try live.recordFeedback(review: review, sentiment: .positive)
        }
        let before = bits(live.classifier)
        // What the update tool does: the same rows, in the same order, into the file.
        var folded = expected(Self.smallModel(), learning: [("row one fine", .positive), ("row two fine", .positive)])
        folded.watermark = 2
        try ModelFile.save(folded, to: modelPath)

        _ = try live.classify("fine")

        XCTAssertEqual(bits(live.classifier), before)
        XCTAssertEqual(live.watermark, 3)
    }

    func testRowsThatTeachNothingAreSkippedAndPassed() throws {
        let store = try FeedbackStore(path: databasePath)
        try store.insert(review: "superb", sentiment: 1)
        try store.insert(review: "an unknown label", sentiment: 2)
        try store.insert(review: "dreadful", sentiment: 0)
        try store.insert(review: "", sentiment: 0)
        try store.insert(review: "a negative label", sentiment: -1)

        let live = try LiveClassifier(modelPath: modelPath, store: store)

        XCTAssertEqual(bits(live.classifier), bits(expected(Self.smallModel(), learning: [("superb", .positive), ("dreadful", .negative)])))
        XCTAssertEqual(live.watermark, 5)
        XCTAssertEqual(
            FeedbackVerdict(FeedbackRow(id: 1, review: "superb", sentiment: 1, date: "2026-01-01 00:00:00")),
            .learn(LabeledSample(text: "superb", sentiment: .positive)))
        XCTAssertEqual(FeedbackVerdict(FeedbackRow(id: 2, review: "", sentiment: 1, date: "2026-01-01 00:00:00")), .skip(.blank))
        XCTAssertEqual(FeedbackVerdict(FeedbackRow(id: 3, review: "superb", sentiment: 2, date: "2026-01-01 00:00:00")), .skip(.invalidLabel))
    }

    func testCatchingUpInBatchesEqualsApplyingRowsOneByOne() throws {
        let store = try FeedbackStore(path: databasePath)
        var rows: [(String, Sentiment)] = []
        for index in 0..<2_500 {
            let row = index % 7 == 0 ? ("review \(index): awful", Sentiment.negative) : ("review \(index): superb", Sentiment.positive)
            try store.insert(review: row.0, sentiment: row.1.rawValue)
            rows.append(row)
        }
        let oneByOne = expected(Self.smallModel(), learning: rows)

        for batchSize in [1_000, 500, 1] {
            let live = try LiveClassifier(modelPath: modelPath, store: store, batchSize: batchSize)
            XCTAssertEqual(live.watermark, 2_500, "batch size \(batchSize)")
            XCTAssertEqual(bits(live.classifier), bits(oneByOne), "batch size \(batchSize)")
        }
    }

    func testTheSkipRuleChecksRejectionThenLabelThenTextThenRepeats() {
        func verdict(_ review: String, _ sentiment: Int, rejected: Bool = false, repeatOf: Int64? = nil) -> FeedbackVerdict {
            FeedbackVerdict(
                FeedbackRow(id: 9, review: review, sentiment: sentiment, date: "2026-01-01 00:00:00", rejected: rejected, repeatOf: repeatOf))
        }
        XCTAssertEqual(verdict("superb", 1, rejected: true, repeatOf: 2), .skip(.rejected))
        XCTAssertEqual(verdict("superb", 7, repeatOf: 2), .skip(.invalidLabel))
        XCTAssertEqual(verdict(" \n\t\u{3000}", 0), .skip(.blank), "whitespace only, Unicode's included")
        XCTAssertEqual(verdict("superb", 1, repeatOf: 2), .skip(.repeated))
        let limit = FeedbackVerdict.maxReviewLength
        XCTAssertEqual(limit, 20_000, "the web form's bound")
        XCTAssertEqual(
            verdict(String(repeating: "a", count: limit), 1), .learn(LabeledSample(text: String(repeating: "a", count: limit), sentiment: .positive)))
        XCTAssertEqual(verdict(String(repeating: "a", count: limit + 1), 1), .skip(.tooLong))
        let accents = String(repeating: "e\u{301}", count: limit)
        XCTAssertEqual(
            verdict(accents, 1), .learn(LabeledSample(text: accents, sentiment: .positive)),
            "counted in Characters, as the form counts them, not bytes")
    }

    func testARepeatedReviewIsLearnedOnceAndARepeatOfARejectedRowNever() throws {
        let store = try FeedbackStore(path: databasePath)
        try store.insert(review: "superb", sentiment: 1)
        try store.insert(review: "superb", sentiment: 1)
        try store.insert(review: "superb", sentiment: 0)
        try store.insert(review: "dreadful", sentiment: 0)
        _ = try store.setRejected(true, ids: [4])
        try store.insert(review: "dreadful", sentiment: 0)

        let live = try LiveClassifier(modelPath: modelPath, store: store)

        XCTAssertEqual(bits(live.classifier), bits(expected(Self.smallModel(), learning: [("superb", .positive), ("superb", .negative)])))
        XCTAssertEqual(live.watermark, 5)
    }

    func testARejectionMakesEveryWorkerRebuildWithoutTheRowAndAcceptingBringsItBack() throws {
        let a = try worker()
        let b = try worker()
        for review in ["row one fine", "row two awful", "row three fine"] {
            try a.recordFeedback(review: review, sentiment: review.hasSuffix("fine") ? .positive : .negative)
        }
        _ = try b.classify("fine")
        let all = expected(Self.smallModel(), learning: [("row one fine", .positive), ("row two awful", .negative), ("row three fine", .positive)])
        XCTAssertEqual(bits(b.classifier), bits(all))

        _ = try FeedbackStore(path: databasePath).setRejected(true, ids: [2])

        let withoutRow2 = expected(Self.smallModel(), learning: [("row one fine", .positive), ("row three fine", .positive)])
        XCTAssertEqual(try a.classify("fine"), withoutRow2.classify("fine"))
        XCTAssertEqual(try b.classify("fine"), withoutRow2.classify("fine"))
        XCTAssertEqual(bits(a.classifier), bits(withoutRow2))
        XCTAssertEqual(bits(b.classifier), bits(withoutRow2))
        XCTAssertEqual(b.watermark, 3)

        _ = try FeedbackStore(path: databasePath).setRejected(false, ids: [2])

        _ = try a.classify("fine")
        XCTAssertEqual(bits(a.classifier), bits(all))
    }

    func testARejectionOfARowTheFileHoldsLeavesTheFileAsItIs() throws {
        let store = try FeedbackStore(path: databasePath)
        for review in ["row one fine", "row two fine", "row three fine"] { try store.insert(review: review, sentiment: 1) }
        var file = expected(Self.smallModel(), learning: [("row one fine", .positive), ("row two fine", .positive)])
        file.watermark = 2
        try ModelFile.save(file, to: modelPath)
        let live = try LiveClassifier(modelPath: modelPath, store: store)

        _ = try FeedbackStore(path: databasePath).setRejected(true, ids: [1])
        _ = try live.classify("fine")

        XCTAssertEqual(
            bits(live.classifier), bits(expected(file, learning: [("row three fine", .positive)])), "training cannot take a sample back out of a file"
        )
    }

    /// The one rule with the change counter: whatever a worker, a CGI process or an admin
    /// command of this project writes is seen by every worker before its next answer, with no
    /// time passing; a writer that announces nothing (the book's scripts, a file copied into
    /// place by hand) is seen once the full check interval has passed, and not a moment later.
    func testEveryWriterOfTheProjectIsSeenBeforeTheNextAnswerAndAnyOtherWithinTheInterval() throws {
        let workers = try (0..<3).map { _ in try worker() }
        func agree(_ truth: SentimentClassifier, _ message: String) throws {
            for (index, live) in workers.enumerated() {
                _ = try live.classify("fine")
                XCTAssertEqual(bits(live.classifier), bits(truth), "worker \(index): \(message)")
            }
        }
        var rows: [(String, Sentiment)] = []
        try agree(Self.smallModel(), "the file")

        // A worker's feedback, as /thanks stores it.
        _ = try workers[0].recordFeedback(review: "row one fine", sentiment: .positive, client: "c1", policy: TrustPolicy())
        rows.append(("row one fine", .positive))
        try agree(expected(Self.smallModel(), learning: rows), "a worker's row")

        // A CGI process: a store of its own, opened for one request.
        try FeedbackStore(path: databasePath, connections: .single).insert(review: "row two awful", sentiment: 0)
        rows.append(("row two awful", .negative))
        try agree(expected(Self.smallModel(), learning: rows), "a CGI process's row")

        // `feedback reject` and `feedback accept`.
        _ = try FeedbackStore(path: databasePath).setRejected(true, ids: [1])
        try agree(expected(Self.smallModel(), learning: [rows[1]]), "a rejection")
        _ = try FeedbackStore(path: databasePath).setRejected(false, ids: [1])
        try agree(expected(Self.smallModel(), learning: rows), "an acceptance")

        // `update`: the model file replaced under the write lock, with both rows folded in.
        var folded = expected(Self.smallModel(), learning: rows)
        folded.watermark = 2
        _ = try FeedbackStore(path: databasePath).holdingWriteLock { _ in try? ModelFile.save(folded, to: modelPath) }
        try agree(folded, "an update")

        // The book's script: a row inserted with SQLite alone, which moves no counter.
        try DatabaseQueue(path: databasePath).write { db in
            try db.execute(sql: "INSERT INTO review_db (review, sentiment, date) VALUES ('row three superb', 1, DATETIME('now'))")
        }
        clock.now += LiveClassifier.defaultFullCheckInterval - .milliseconds(1)
        try agree(folded, "not yet looked for")
        clock.now += .milliseconds(1)
        try agree(expected(folded, learning: [("row three superb", .positive)]), "the script's row, at the full check")
    }

    func testAWorkersOwnRowIsFoldedInIdOrderWhateverAnyWriterStoredOrDecidedBeforeIt() throws {
        let a = try worker()
        let b = try worker()
        var rows: [(String, Sentiment)] = []
        func visitor(_ live: LiveClassifier, _ review: String, _ sentiment: Sentiment) throws {
            let outcome = try live.recordFeedback(review: review, sentiment: sentiment, client: "c-\(rows.count)", policy: TrustPolicy())
            guard case .stored(_, .counts) = outcome else { return XCTFail("\(review): \(outcome)") }
            rows.append((review, sentiment))
        }
        try visitor(a, "a moving film", .positive)
        try visitor(a, "a dreadful plot", .negative)
        try visitor(b, "superb acting", .positive)
        try visitor(a, "boring and long", .negative)
        try FeedbackStore(path: databasePath, connections: .single).insert(review: "wonderful cast", sentiment: 1)
        rows.append(("wonderful cast", .positive))
        try visitor(a, "awful ending", .negative)
        // The book's script, which moves no counter: the next own row comes after it.
        try DatabaseQueue(path: databasePath).write { db in
            try db.execute(sql: "INSERT INTO review_db (review, sentiment, date) VALUES ('a superb story', 1, DATETIME('now'))")
        }
        rows.append(("a superb story", .positive))
        try visitor(a, "dreadful acting", .negative)
        XCTAssertEqual(bits(a.classifier), bits(expected(Self.smallModel(), learning: rows)), "before any full check")

        // A hand edit that rejects row 1 and moves the generation, as a decision does, but no counter.
        try DatabaseQueue(path: databasePath).write { db in
            try db.execute(sql: "UPDATE review_db SET rejected = 1 WHERE id = 1")
            try db.execute(sql: "UPDATE feedback_generation SET generation = generation + 1")
        }
        try visitor(a, "moving and superb", .positive)
        let truth = expected(Self.smallModel(), learning: Array(rows.dropFirst()))
        XCTAssertEqual(bits(a.classifier), bits(truth), "rebuilt before its own row")
        _ = try b.classify("fine")
        XCTAssertEqual(bits(b.classifier), bits(truth))
        XCTAssertEqual([a.watermark, b.watermark], [9, 9])
    }

    func testAModelFileCopiedByHandIsSeenWithinTheFullCheckIntervalEvenByAWorkerStoringItsOwnRows() throws {
        let live = try worker()
        _ = try live.classify("fine")
        var copied = expected(Self.smallModel(), learning: [("copied by hand", .positive)])
        copied.watermark = 0
        try ModelFile.save(copied, to: modelPath)
        _ = try live.recordFeedback(review: "a moving film", sentiment: .positive, client: "c1", policy: TrustPolicy())
        XCTAssertEqual(
            bits(live.classifier), bits(expected(Self.smallModel(), learning: [("a moving film", .positive)])),
            "nothing announced the file: the own row is folded into the model held")
        waitOutTheFullCheckInterval()
        _ = try live.classify("fine")
        XCTAssertEqual(bits(live.classifier), bits(expected(copied, learning: [("a moving film", .positive)])), "at the full check")
    }
}
