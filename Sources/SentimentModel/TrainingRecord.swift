/// How a model of the n-gram variant was trained, recorded in its file so that an operator can
/// tell two models apart and retrain one alike. Learning from feedback does not change it.
public struct TrainingRecord: Sendable, Equatable {
    /// Labelled reviews trained on.
    public var rows: UInt64
    public var epochs: UInt32
    /// Unigram and bigram columns in fewer training reviews were dropped.
    public var minimumDocuments: UInt32
    /// Trigram columns in fewer training reviews were dropped.
    public var minimumTrigramDocuments: UInt32
    /// The Naive Bayes smoothing added to every column's counts.
    public var smoothing: Double
    /// The share of features dropped at each training step.
    public var dropout: Double
    /// η0 of the averaged SGD schedule.
    public var initialRate: Double
    /// The seed of the training order and the dropout.
    public var seed: UInt64

    public init(
        rows: UInt64, epochs: UInt32, minimumDocuments: UInt32, minimumTrigramDocuments: UInt32, smoothing: Double, dropout: Double,
        initialRate: Double, seed: UInt64
    ) {
        self.rows = rows
        self.epochs = epochs
        self.minimumDocuments = minimumDocuments
        self.minimumTrigramDocuments = minimumTrigramDocuments
        self.smoothing = smoothing
        self.dropout = dropout
        self.initialRate = initialRate
        self.seed = seed
    }
}
