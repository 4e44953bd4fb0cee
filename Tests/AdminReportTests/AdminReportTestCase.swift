import AdminReport
import FeedbackStore
import GRDB
import LiveModel
import ModelTraining
import SentimentModel
import TestSupport
import XCTest

/// A scratch folder with a small model file and a feedback database, and rows written into it
/// as the application and the trust rules write them.
class AdminReportTestCase: ScratchFolderTestCase {
    var modelPath: String { get throws { try folder.path("classifier.mcm") } }
    var databasePath: String { get throws { try folder.path("feedback.sqlite") } }

    /// The book's variant, small enough to build in microseconds, trained enough to have
    /// weights of both signs.
    static func bookModel() -> SentimentClassifier {
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

    /// The n-gram variant, trained on a few obvious reviews.
    static func ngramModel() -> SentimentClassifier {
        var samples: [LabeledSample] = []
        for index in 0..<40 {
            samples.append(LabeledSample(text: "a wonderful superb film \(index)", sentiment: .positive))
            samples.append(LabeledSample(text: "an awful dreadful film \(index)", sentiment: .negative))
        }
        return NGramTrainer().train(samples)
    }

    /// Saves `model` as the model file and opens the database (creating it).
    func makeStore(model: SentimentClassifier = bookModel()) throws -> FeedbackStore {
        try ModelFile.save(model, to: try modelPath)
        return try FeedbackStore(path: try databasePath)
    }

    /// Writes one row as it would be stored: `probability` is the live model's P(positive)
    /// beforehand (nil for a row written outside the application).
    @discardableResult
    func insert(
        _ review: String, sentiment: Int, date: String = "2026-03-01 12:00:00", probability: Double? = nil, client: String? = nil,
        state: FeedbackState = .counts, rejected: Bool = false
    ) throws -> Int64 {
        let queue = try DatabaseQueue(path: try databasePath)
        return try queue.write { db in
            try db.execute(
                sql: "INSERT INTO review_db (review, sentiment, date, p_positive, client, state, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [review, sentiment, date, probability, client, state.rawValue, rejected])
            return db.lastInsertedRowID
        }
    }

    /// The facts of the scratch database and model, as the `report` command gathers them.
    func gather(_ store: FeedbackStore, blocks: Int = 40) throws -> AdminFacts {
        try AdminFacts.gather(store: store, live: try LiveClassifier(modelPath: try modelPath, store: store), now: 1_772_366_400, blocks: blocks)
    }
}
