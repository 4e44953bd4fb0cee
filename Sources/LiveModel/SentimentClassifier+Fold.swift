import FeedbackStore
import SentimentModel

extension SentimentClassifier {
    /// Applies one stored row as every live model does: learns it if the rule says so, and
    /// moves the watermark past it either way. Returns the verdict, for reports.
    @discardableResult
    public mutating func fold(_ row: FeedbackRow) -> FeedbackVerdict {
        precondition(row.id > watermark, "rows are folded in ascending id, each once")
        let verdict = FeedbackVerdict(row)
        if case .learn(let sample) = verdict {
            learn(sample.text, sentiment: sample.sentiment, maximumStep: FeedbackVerdict.maximumStep)
        }
        watermark = row.id
        return verdict
    }
}
