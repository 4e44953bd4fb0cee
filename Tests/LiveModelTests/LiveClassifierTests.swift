import FeedbackStore
import Foundation
import LiveModel
import SentimentModel
import XCTest

final class LiveClassifierTests: XCTestCase {
    var folder = ""
    var modelPath: String { folder + "/model.mcm" }
    var databasePath: String { folder + "/db.sqlite" }

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "live-model-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try ModelFile.save(Self.smallModel(), to: modelPath)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    static func smallModel(watermark: Int64 = 0) -> SentimentClassifier {
        var classifier = SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 12), watermark: watermark)
        classifier.partialFit([
            LabeledSample(text: "wonderful superb moving", sentiment: .positive),
            LabeledSample(text: "awful dreadful boring", sentiment: .negative),
        ])
        return classifier
    }

    func worker() throws -> LiveClassifier {
        try LiveClassifier(modelPath: modelPath, store: FeedbackStore(path: databasePath))
    }

    func bits(_ classifier: SentimentClassifier) -> [UInt64] {
        classifier.regression.weights.map(\.bitPattern) + [classifier.regression.scale.bitPattern, classifier.regression.intercept.bitPattern]
    }

    /// What the rule says the live model is: the file plus the rows after its watermark, in id order.
    func expected(file: SentimentClassifier, rows: [(String, Sentiment)]) -> SentimentClassifier {
        var model = file
        for (review, sentiment) in rows { model.learn(review, sentiment: sentiment) }
        return model
    }

    func testWorkersApplyEveryonesFeedbackInIdOrderAndAgreeBitForBit() throws {
        let a = try worker()
        let b = try worker()
        let rows: [(String, Sentiment, LiveClassifier)] = [
            ("a moving film", .positive, a), ("a dreadful plot", .negative, b),
            ("superb acting", .positive, b), ("boring and long", .negative, a),
        ]
        for (review, sentiment, through) in rows { try through.recordFeedback(review: review, sentiment: sentiment) }
        _ = try a.classify("anything at all")
        _ = try b.classify("anything at all")
        let truth = expected(file: Self.smallModel(), rows: rows.map { ($0.0, $0.1) })
        XCTAssertEqual(bits(a.classifier), bits(truth))
        XCTAssertEqual(bits(b.classifier), bits(truth))
        XCTAssertEqual(a.watermark, 4)
        XCTAssertEqual(try a.classify("superb"), try b.classify("superb"))
    }

    func testFeedbackSurvivesWorkerRestart() throws {
        var first: LiveClassifier? = try worker()
        try first!.recordFeedback(review: "an unexpected gem", sentiment: .positive)
        try first!.recordFeedback(review: "tedious", sentiment: .negative)
        let before = bits(first!.classifier)
        first = nil
        let restarted = try worker()
        XCTAssertEqual(bits(restarted.classifier), before)
        XCTAssertEqual(restarted.watermark, 2)
    }

    func testReplacedModelFileIsReloadedAndOnlyLaterRowsReplayed() throws {
        let live = try worker()
        for index in 1...3 { try live.recordFeedback(review: "row \(index) fine", sentiment: .positive) }
        // The update tool folds rows 1 and 2 into a new file (simulated here by hand).
        let folded = expected(file: Self.smallModel(), rows: [("row 1 fine", .positive), ("row 2 fine", .positive)])
        var newFile = folded
        newFile.watermark = 2
        try ModelFile.save(newFile, to: modelPath)
        _ = try live.classify("check")
        XCTAssertEqual(bits(live.classifier), bits(expected(file: folded, rows: [("row 3 fine", .positive)])))
        XCTAssertEqual(live.watermark, 3)
    }

    func testCatchingUpInBatchesEqualsApplyingRowsOneByOne() throws {
        let store = try FeedbackStore(path: databasePath)
        var rows: [(String, Sentiment)] = []
        for index in 0..<2_500 {
            let row = ("review number \(index) \(index % 7 == 0 ? "awful" : "superb")", index % 7 == 0 ? Sentiment.negative : .positive)
            try store.insert(review: row.0, sentiment: row.1.rawValue)
            rows.append(row)
        }
        let live = try LiveClassifier(modelPath: modelPath, store: store, batchSize: 1_000)
        XCTAssertEqual(live.watermark, 2_500)
        XCTAssertEqual(bits(live.classifier), bits(expected(file: Self.smallModel(), rows: rows)))
    }
}
