import SentimentModel

/// What the web application needs from the model: classify a review, and record a visitor's
/// feedback durably and learn from it. A worker process implements it with its resident model
/// and the feedback database (`LiveModel.LiveClassifier`); every call happens on the worker's
/// one thread.
public protocol SentimentService: AnyObject {
    /// The prediction of the live model (caught up on all feedback first).
    func classify(_ review: String) throws -> Prediction
    /// The live model's prediction with what decided it, as the results page shows it: the
    /// `strongest` features towards each side, and every word's share.
    func explain(_ review: String, strongest: Int) throws -> (prediction: Prediction, explanation: Explanation)
    /// Stores the feedback of the client `client` (a keyed hash of its address) durably (it
    /// survives the process being killed once this returns) under the trust rules, then brings
    /// the live model up to date, this row included.
    func recordFeedback(review: String, sentiment: Sentiment, client: String) throws -> FeedbackReceipt

    /// The live model's version, caught up first: the same string in every worker that holds
    /// the same model (the API's `model_version`).
    func modelVersion() throws -> String

    /// The live model's variant (`ngram`, `book`).
    var modelVariant: String { get }

    /// Whether the service can answer the next requests, and if not all, why: what `/readyz`
    /// reports.
    func readiness() -> Readiness
}
