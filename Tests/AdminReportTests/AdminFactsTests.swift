import AdminReport
import FeedbackStore
import LiveModel
import ModelUpdate
import SentimentModel
import XCTest

final class AdminFactsTests: AdminReportTestCase {
    func testRowsPerDayAreCountedOnTheirUTCDayByWhatBecameOfThem() throws {
        let store = try makeStore()
        try insert("good", sentiment: 1, date: "2026-03-01 00:00:00", client: "a")
        try insert("good again", sentiment: 1, date: "2026-03-01 23:59:59", client: "a", state: .overBudget)
        try insert("bad", sentiment: 0, date: "2026-03-02 08:00:00", client: "b", rejected: true)
        try insert("bad", sentiment: 0, date: "2026-03-02 09:00:00", client: "b", state: .repeated)
        try insert("fine", sentiment: 1, date: "2026-03-02 10:00:00", state: .accepted)

        let days = try gather(store).statistics.days

        XCTAssertEqual(
            days,
            [
                FeedbackStatistics.Day(day: "2026-03-01", rows: 2, counted: 1, held: 1, rejected: 0, predictions: 0, confirmed: 0),
                FeedbackStatistics.Day(day: "2026-03-02", rows: 3, counted: 1, held: 0, rejected: 1, predictions: 0, confirmed: 0),
            ])
    }

    func testConfirmationShareLeavesOutRowsWithoutAPredictionAndRejectedRows() throws {
        let store = try makeStore()
        // Predicted positive (0.9), the visitor agreed; predicted negative (0.2), the visitor
        // said positive; predicted positive (0.7), the visitor agreed.
        try insert("a", sentiment: 1, date: "2026-03-01 10:00:00", probability: 0.9, client: "a")
        try insert("b", sentiment: 1, date: "2026-03-01 11:00:00", probability: 0.2, client: "a")
        try insert("c", sentiment: 1, date: "2026-03-02 11:00:00", probability: 0.7, client: "b")
        // Written outside the application: no prediction.
        try insert("d", sentiment: 0, date: "2026-03-01 12:00:00")
        try insert("e", sentiment: 1, date: "2026-03-02 12:00:00")
        // Rejected by an admin: not a confirmation, whatever it says.
        try insert("f", sentiment: 0, date: "2026-03-02 13:00:00", probability: 0.1, client: "c", rejected: true)

        let statistics = try gather(store).statistics

        XCTAssertEqual(statistics.days.map(\.predictions), [2, 1])
        XCTAssertEqual(statistics.days.map(\.confirmed), [1, 1])
        XCTAssertEqual(statistics.predictions, 3)
        XCTAssertEqual(statistics.confirmed, 2)
    }

    func testConfusionTableCountsWhatTheModelSaidAgainstWhatTheVisitorSaid() throws {
        let store = try makeStore()
        for (probability, truth) in [(0.9, 1), (0.8, 1), (0.6, 0), (0.1, 0), (0.3, 1), (0.5, 1)] {
            try insert("text \(probability)", sentiment: truth, probability: probability, client: "a")
        }
        try insert("rejected", sentiment: 0, probability: 0.9, client: "a", rejected: true)

        let confusion = try gather(store).statistics.confusion

        XCTAssertEqual(confusion.predictedPositiveTruthPositive, 2)
        XCTAssertEqual(confusion.predictedPositiveTruthNegative, 1)
        XCTAssertEqual(confusion.predictedNegativeTruthNegative, 1)
        // 0.5 is a negative prediction, as the classifier decides (positive above 0).
        XCTAssertEqual(confusion.predictedNegativeTruthPositive, 2)
    }

    func testPredictionsAreSplitInIdOrderIntoBlocksOfARoundSize() throws {
        let store = try makeStore()
        var ids: [Int64] = []
        for index in 0..<25 {
            try insert("admin row \(index)", sentiment: 1)
            // The first ten are all confirmed, the rest half.
            ids.append(try insert("visitor row \(index)", sentiment: 1, probability: index < 10 || index % 2 == 0 ? 0.9 : 0.1, client: "a"))
        }

        let statistics = try gather(store, blocks: 3).statistics

        XCTAssertEqual(statistics.rowsPerBlock, 10)
        XCTAssertEqual(
            statistics.blocks,
            [
                FeedbackStatistics.Block(firstID: ids[0], lastID: ids[9], predictions: 10, confirmed: 10),
                FeedbackStatistics.Block(firstID: ids[10], lastID: ids[19], predictions: 10, confirmed: 5),
                FeedbackStatistics.Block(firstID: ids[20], lastID: ids[24], predictions: 5, confirmed: 3),
            ])
    }

    func testHeldRowsAreCountedByStateAndTheLabelBalanceLeavesOutRejectedRows() throws {
        let store = try makeStore()
        try insert("a", sentiment: 1, client: "a", state: .overBudget)
        try insert("b", sentiment: 1, client: "a", state: .overBudget)
        try insert("c", sentiment: 0, client: "b", state: .needsAgreement)
        try insert("d", sentiment: 0, client: "b", state: .needsAgreement, rejected: true)
        try insert("e", sentiment: 0)

        let facts = try gather(store)

        XCTAssertEqual(facts.statistics.states, [.overBudget: 2, .needsAgreement: 1, .counts: 1])
        XCTAssertEqual(facts.statistics.held, 3)
        XCTAssertEqual(facts.statistics.rejected, 1)
        XCTAssertEqual(facts.statistics.rows, 5)
        XCTAssertEqual([facts.statistics.negativeLabels, facts.statistics.positiveLabels], [2, 2])
        XCTAssertEqual(facts.clients.map(\.client), ["a", "b"])
        XCTAssertEqual(facts.clients.map(\.held), [2, 1])
    }

    func testWordsAreRecoveredFromTheFeedbackWithTheSignOfTheirWeight() throws {
        for model in [Self.bookModel(), Self.ngramModel()] {
            let store = try makeStore(model: model)
            // Held: the live model does not learn them, so the weights are the file's.
            try insert("a wonderful, superb film", sentiment: 1, client: "a", state: .overBudget)
            try insert("an awful, dreadful film", sentiment: 0, client: "a", state: .overBudget)

            let facts = try gather(store)

            let positive = facts.strongestPositive.flatMap(\.names)
            let negative = facts.strongestNegative.flatMap(\.names)
            XCTAssertTrue(positive.contains("superb"), "\(model.vectorizer.variant): \(positive)")
            XCTAssertTrue(negative.contains("dreadful"), "\(model.vectorizer.variant): \(negative)")
            XCTAssertTrue(facts.strongestPositive.allSatisfy { $0.liveWeight > 0 })
            XCTAssertTrue(facts.strongestNegative.allSatisfy { $0.liveWeight < 0 })
            XCTAssertEqual(facts.strongestPositive.map(\.liveWeight), facts.strongestPositive.map(\.liveWeight).sorted(by: >))
            XCTAssertEqual(facts.textsRead, 2)
            XCTAssertEqual(facts.movers, [], "nothing learned yet")
            try FileManager.default.removeItem(atPath: try databasePath)
        }
    }

    func testMoversAreTheWordsOfTheFeedbackTheLiveModelLearned() throws {
        for model in [Self.bookModel(), Self.ngramModel()] {
            let store = try makeStore(model: model)
            for _ in 0..<5 { try insert("the plot was dreadful but the ending superb", sentiment: 1) }

            let facts = try gather(store)

            let file = try ModelFile.load(from: try modelPath)
            XCTAssertFalse(facts.movers.isEmpty, "\(model.vectorizer.variant)")
            for mover in facts.movers {
                XCTAssertGreaterThan(mover.change, 0, "learning positive feedback raised \(mover.names)")
                XCTAssertTrue(
                    mover.names.allSatisfy { name in name.split(separator: " ").allSatisfy { "the plot was dreadful but ending superb".contains($0) }
                    })
            }
            let names = facts.movers.flatMap(\.names)
            XCTAssertTrue(names.contains("dreadful") || names.contains("superb"), "\(model.vectorizer.variant): \(names)")
            // The file's weight is the model file's, as it classifies.
            let superb = try XCTUnwrap(facts.strongestPositive.first { $0.names.contains("superb") })
            XCTAssertNotEqual(superb.fileWeight, superb.liveWeight)
            XCTAssertEqual(facts.model.fileWatermark, file.watermark)
            try FileManager.default.removeItem(atPath: try databasePath)
        }
    }

    func testModelCardNamesTheFileItsDigestTheWatermarksAndTheBackups() throws {
        let store = try makeStore()
        var backup = Self.bookModel()
        backup.watermark = 1
        let backupPath = try folder.path("classifier_20260301-120000.mcm")
        try ModelFile.save(backup, to: backupPath)
        try insert("superb", sentiment: 1)
        try insert("dreadful", sentiment: 0)
        let live = try LiveClassifier(modelPath: try modelPath, store: store)

        let facts = try AdminFacts.gather(store: store, live: live, now: 1_772_366_400)

        let (file, checksum) = try ModelFile.loadWithChecksum(from: try modelPath)
        XCTAssertEqual(facts.model.modelVersion, live.modelVersion)
        XCTAssertTrue(live.modelVersion.hasPrefix(try XCTUnwrap(facts.model.digest) + "."), live.modelVersion)
        let hex = String(checksum, radix: 16)
        XCTAssertEqual(facts.model.digest, String(repeating: "0", count: 8 - hex.count) + hex)
        XCTAssertEqual(facts.model.sizeBytes, Int64(ModelFile.encode(file).count))
        XCTAssertEqual(facts.model.variant, "book")
        XCTAssertEqual(facts.model.fileWatermark, 0)
        XCTAssertEqual(facts.model.liveWatermark, 2)
        XCTAssertEqual(facts.backups, [AdminFacts.Backup(path: backupPath, watermark: 1, problem: nil)])
        XCTAssertEqual(facts.generated, "2026-03-01 12:00:00")
    }
}
