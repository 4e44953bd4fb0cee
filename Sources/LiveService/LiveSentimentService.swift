import FeedbackStore
import LiveModel
import SentimentModel
import WebApp

/// The web application's service in a worker process: its live model over the feedback
/// database, with the trust rules the site set for storing feedback.
public final class LiveSentimentService: SentimentService {
    public let classifier: LiveClassifier
    public let policy: TrustPolicy

    public init(classifier: LiveClassifier, policy: TrustPolicy) {
        self.classifier = classifier
        self.policy = policy
    }

    public func classify(_ review: String) throws -> Prediction {
        try classifier.classify(review)
    }

    public func explain(_ review: String, strongest: Int) throws -> (prediction: Prediction, explanation: Explanation) {
        try classifier.explain(review, strongest: strongest)
    }

    public func recordFeedback(review: String, sentiment: Sentiment, client: String) throws -> FeedbackReceipt {
        switch try classifier.recordFeedback(review: review, sentiment: sentiment, client: client, policy: policy) {
        case .refused: .refused
        case .stored(_, let state) where state.isHeld: .held
        case .stored(_, .repeated): .repeated
        case .stored: .counted
        }
    }

    public func modelVersion() throws -> String {
        classifier.catchUpOrKeepServing()
        return classifier.modelVersion
    }

    public var modelVariant: String {
        classifier.classifier.vectorizer.variant.rawValue
    }

    public func unreadiness() -> String? {
        do {
            try classifier.checkDatabase()
            return nil
        } catch {
            return "the feedback database does not answer: \(error)"
        }
    }
}
