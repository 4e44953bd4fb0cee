/// The whole model a worker keeps resident: the vectorizer, the regression, the label names,
/// and the watermark, the id of the last feedback row already folded into the weights.
public struct SentimentClassifier: Sendable {
    public let vectorizer: TextVectorizer
    public internal(set) var regression: LogisticRegression
    /// Display names of label 0 and label 1.
    public let labelNames: [String]
    /// The id of the last feedback row folded in; 0 when none is.
    public var watermark: Int64
    /// How the model was trained, where its file records it (the n-gram variant's).
    public let training: TrainingRecord?

    public static let bookLabelNames = ["negative", "positive"]

    /// A model of the book's variant.
    public init(
        vectorizer: HashingVectorizer = HashingVectorizer(),
        regression: LogisticRegression? = nil,
        labelNames: [String] = SentimentClassifier.bookLabelNames,
        watermark: Int64 = 0
    ) {
        self.init(vectorizer: .book(vectorizer), regression: regression, labelNames: labelNames, watermark: watermark, training: nil)
    }

    public init(
        vectorizer: TextVectorizer, regression: LogisticRegression? = nil, labelNames: [String] = SentimentClassifier.bookLabelNames,
        watermark: Int64 = 0, training: TrainingRecord?
    ) {
        precondition(labelNames.count == 2, "a binary classifier has two label names")
        self.vectorizer = vectorizer
        self.regression = regression ?? LogisticRegression(featureCount: vectorizer.featureCount)
        precondition(self.regression.featureCount == vectorizer.featureCount, "weights and vectorizer disagree on the feature count")
        self.labelNames = labelNames
        self.watermark = watermark
        self.training = training
    }

    public func name(of sentiment: Sentiment) -> String {
        labelNames[sentiment.rawValue]
    }

    /// Classifies `text` as scikit-learn's `predict` and `predict_proba` would: positive when
    /// `w·x + b > 0`.
    public func classify(_ text: String) -> Prediction {
        Prediction(decision: decision(text))
    }

    /// `w·x + b` of `text`: the log-odds of positive.
    public func decision(_ text: String) -> Double {
        switch vectorizer {
        case .book(let vectorizer):
            return vectorizer.withFeatures(of: text) { regression.decision($0) }
        case .ngram(let vectorizer):
            guard case .scaled(let table) = regression.table else { preconditionFailure("an n-gram model has feature scales") }
            return table.withLookup { lookup in
                vectorizer.withSortedRankKeys(of: text, in: lookup) { keys in
                    let (product, squares) = NGramVectorizer.withTermValue { lookup.sums(ofSortedRankKeys: keys, termValue: $0) }
                    return regression.scaledDecision(product: product, squares: squares)
                }
            }
        }
    }

    /// One SGD step on one labelled text, in O(its tokens): how feedback is learned, by the
    /// workers and by the update tool alike. `maximumStep` bounds its size (see
    /// `LogisticRegression.learn`).
    public mutating func learn(_ text: String, sentiment: Sentiment, maximumStep: Double = .infinity) {
        switch vectorizer {
        case .book(let vectorizer):
            vectorizer.withFeatures(of: text) { row in
                regression.learn(row, positive: sentiment == .positive, maximumStep: maximumStep)
            }
        case .ngram(let vectorizer):
            vectorizer.withTerms(of: text) { columns, values in
                regression.learn(columns: columns, values: values, positive: sentiment == .positive, maximumStep: maximumStep)
            }
        }
    }

    /// scikit-learn's `partial_fit` on a minibatch: the samples in the order `shuffle` gives,
    /// then the scale folded into the weights, as scikit-learn does at the end of each call.
    public mutating func partialFit(_ batch: [LabeledSample], shuffle: MinibatchShuffle = .book) {
        for index in shuffle.order(count: batch.count) {
            learn(batch[index].text, sentiment: batch[index].sentiment)
        }
        regression.foldScale()
    }
}
