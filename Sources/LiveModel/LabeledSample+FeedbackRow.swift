import FeedbackStore
import SentimentModel

extension LabeledSample {
    /// The sample a stored feedback row teaches, or `nil` when it teaches nothing: a label
    /// other than 0 or 1, or an empty review (the web form allows neither, but the book's
    /// scripts or a hand edit can store them).
    ///
    /// Everything that folds feedback into a model must skip the same rows, or the live
    /// workers and the update tool would build different models from the same table.
    public init?(_ row: FeedbackRow) {
        guard let sentiment = Sentiment(rawValue: row.sentiment), !row.review.isEmpty else { return nil }
        self.init(text: row.review, sentiment: sentiment)
    }
}
