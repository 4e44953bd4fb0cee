import Dispatch
import ReviewCorpus
import SentimentModel
import Support

/// How to train, with the book's chapter 8 protocol as the default.
public struct TrainingSettings: Sendable {
    /// Reviews per `partial_fit` minibatch (the book: 1,000).
    public var batchSize = 1000
    /// The last this many rows are held out and scored (the book: 5,000).
    public var testSize = 5000
    /// Learn from the held-out rows after scoring them, as the book does before pickling.
    public var learnTestRows = true
    /// The order within each minibatch: scikit-learn's for `random_state=1` by default.
    public var shuffle = MinibatchShuffle.book

    public init() {}
}
