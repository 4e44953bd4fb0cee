import FeedbackStore
import SentimentModel

extension SentimentClassifier {
    /// Applies one stored row as every live model does: learns it if the rule says so, and
    /// moves the watermark past it either way. Returns the verdict, for reports.
    ///
    /// `features`, made by this model (or one of its vectorizer) from some text, are used
    /// when the row's review is that text: a worker folding the feedback it has just stored,
    /// whose review it has just classified, then makes its features once.
    @discardableResult
    public mutating func fold(_ row: FeedbackRow, reusing features: TextFeatures? = nil) -> FeedbackVerdict {
        precondition(row.id > watermark, "rows are folded in ascending id, each once")
        let verdict = FeedbackVerdict(row)
        if case .learn(let sample) = verdict {
            if let features, features.text == sample.text {
                learn(features, sentiment: sample.sentiment, maximumStep: FeedbackVerdict.maximumStep)
            } else {
                learn(sample.text, sentiment: sample.sentiment, maximumStep: FeedbackVerdict.maximumStep)
            }
        }
        watermark = row.id
        return verdict
    }
}
