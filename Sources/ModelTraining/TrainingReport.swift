import Dispatch
import ReviewCorpus
import SentimentModel
import Support

/// What a training run did.
public struct TrainingReport: Sendable {
    public var trainingRows = 0
    public var batches = 0
    public var testRows = 0
    public var testCorrect = 0
    public var skipped: [CorpusError] = []
    /// Seconds spent reading, vectorizing and learning the training rows.
    public var trainingSeconds = 0.0

    public var testAccuracy: Double? {
        testRows > 0 ? Double(testCorrect) / Double(testRows) : nil
    }
}
