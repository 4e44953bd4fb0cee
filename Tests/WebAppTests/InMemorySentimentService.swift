import Foundation
import SentimentModel
import XCTest

@testable import WebApp

/// The database's stand-in: a real classifier behind the service protocol, trained on a few
/// obvious texts, that keeps feedback in an array and learns it (the feedback database has
/// tests of its own).
final class InMemorySentimentService: SentimentService {
    var classifier: SentimentClassifier
    private(set) var classified: [String] = []
    private(set) var feedback: [LabeledSample] = []
    /// When set, every call throws it, as a database that is down would.
    var failure: (any Error)?
    /// When set, why `/readyz` says degraded (while every call is answered).
    var degradation: String?
    /// When set, what every feedback becomes (as the trust rules would decide).
    var receipt: FeedbackReceipt?
    /// The client id of every feedback, in order.
    private(set) var clients: [String] = []

    init(classifier: SentimentClassifier = InMemorySentimentService.trained()) {
        self.classifier = classifier
    }

    static func trained() -> SentimentClassifier {
        var classifier = SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 12))
        let batch = [
            LabeledSample(text: "wonderful superb moving film, a masterpiece I loved", sentiment: .positive),
            LabeledSample(text: "brilliant acting, beautiful and gripping story", sentiment: .positive),
            LabeledSample(text: "awful dreadful boring film, a waste of time", sentiment: .negative),
            LabeledSample(text: "terrible acting, tedious and stupid story", sentiment: .negative),
        ]
        for _ in 0..<5 { classifier.partialFit(batch) }
        return classifier
    }

    func classify(_ review: String) throws -> Prediction {
        if let failure { throw failure }
        classified.append(review)
        return classifier.classify(review)
    }

    func explain(_ review: String, strongest: Int) throws -> (prediction: Prediction, explanation: Explanation) {
        if let failure { throw failure }
        classified.append(review)
        return classifier.explainedPrediction(review, strongest: strongest)
    }

    func recordFeedback(review: String, sentiment: Sentiment, client: String) throws -> FeedbackReceipt {
        if let failure { throw failure }
        clients.append(client)
        if let receipt, receipt != .counted { return receipt }
        feedback.append(LabeledSample(text: review, sentiment: sentiment))
        classifier.learn(review, sentiment: sentiment)
        return .counted
    }

    /// The feedback learned so far, as a version: it moves with every counted feedback.
    func modelVersion() throws -> String {
        if let failure { throw failure }
        return "00000000.\(feedback.count)"
    }

    var modelVariant: String { classifier.vectorizer.variant.rawValue }

    func readiness() -> Readiness {
        if let failure { return .unready("the service fails: \(failure)") }
        return degradation.map(Readiness.degraded) ?? .ready
    }
}
