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

    /// Degraded, never unready: a worker that started holds a model and answers with it,
    /// whatever fails behind it.
    public func readiness() -> Readiness {
        do {
            try classifier.checkDatabase()
        } catch {
            return .degraded(
                "the feedback log does not answer, so feedback is refused and predictions come from the model this worker holds: \(error)")
        }
        if let problem = classifier.modelFileProblem {
            return .degraded("a new model file does not load, so the previous one answers: \(problem.reason)")
        }
        if let problem = classifier.sharedModelProblem {
            return .degraded("the newest shared model version cannot be copied, so the previous one answers: \(problem)")
        }
        return .ready
    }
}
