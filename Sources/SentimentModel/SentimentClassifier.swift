/// The whole model a worker keeps resident: the vectorizer, the regression, the label names,
/// and the watermark, the id of the last feedback row already folded into the weights.
public struct SentimentClassifier: Sendable {
    public let vectorizer: HashingVectorizer
    public private(set) var regression: LogisticRegression
    /// Display names of label 0 and label 1.
    public let labelNames: [String]
    /// The id of the last feedback row folded in; 0 when none is.
    public var watermark: Int64

    public static let bookLabelNames = ["negative", "positive"]

    public init(
        vectorizer: HashingVectorizer = HashingVectorizer(),
        regression: LogisticRegression? = nil,
        labelNames: [String] = SentimentClassifier.bookLabelNames,
        watermark: Int64 = 0
    ) {
        precondition(labelNames.count == 2, "a binary classifier has two label names")
        self.vectorizer = vectorizer
        self.regression = regression ?? LogisticRegression(featureCount: vectorizer.featureCount)
        precondition(self.regression.featureCount == vectorizer.featureCount, "weights and vectorizer disagree on the feature count")
        self.labelNames = labelNames
        self.watermark = watermark
    }

    public func name(of sentiment: Sentiment) -> String {
        labelNames[sentiment.rawValue]
    }

    /// Classifies `text` as scikit-learn's `predict` and `predict_proba` would: positive when
    /// `w·x + b > 0`.
    public func classify(_ text: String) -> Prediction {
        vectorizer.withFeatures(of: text) { row in
            let decision = regression.decision(row)
            return Prediction(sentiment: decision > 0 ? .positive : .negative, probabilityPositive: LogisticRegression.sigmoid(decision))
        }
    }

    /// The decision on `text` split into its tokens' contributions and the bias, exactly (up to
    /// the rounding of a sum): each distinct token adds its column's weight times its signed
    /// count over the text's norm. Tokens whose hashes share a column share its weight, each
    /// with its own count, so the contributions still add up to the decision.
    public func explain(_ text: String) -> Explanation {
        var counts: [String: (column: Int, count: Double)] = [:]
        var order: [String] = []
        let featureCount = UInt64(vectorizer.featureCount)
        vectorizer.tokenizer.forEachToken(in: text) { bytes, hash in
            let token = String(decoding: bytes, as: UTF8.self)
            let column = Int(UInt64(hash.magnitude) % featureCount)
            let sign = hash < 0 ? -1.0 : 1.0
            if let entry = counts[token] {
                counts[token] = (entry.column, entry.count + sign)
            } else {
                counts[token] = (column, sign)
                order.append(token)
            }
        }
        // The norm of x, from the summed signed counts per column (as the vectorizer sums them).
        var columns: [Int: Double] = [:]
        for (_, entry) in counts { columns[entry.column, default: 0] += entry.count }
        let norm = columns.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let contributions = order.map { token -> Explanation.Contribution in
            let entry = counts[token]!
            let value = norm > 0 ? entry.count / norm : 0
            return Explanation.Contribution(token: token, contribution: regression.effectiveWeight(ofColumn: entry.column) * value)
        }
        return Explanation(
            contributions: contributions.enumerated().sorted {
                abs($0.element.contribution) != abs($1.element.contribution)
                    ? abs($0.element.contribution) > abs($1.element.contribution) : $0.offset < $1.offset
            }.map(\.element),
            bias: regression.intercept)
    }

    /// One SGD step on one labelled text, in O(its tokens): how feedback is learned, by the
    /// workers and by the update tool alike. `maximumStep` bounds its size (see
    /// `LogisticRegression.learn`).
    public mutating func learn(_ text: String, sentiment: Sentiment, maximumStep: Double = .infinity) {
        vectorizer.withFeatures(of: text) { row in
            regression.learn(row, positive: sentiment == .positive, maximumStep: maximumStep)
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
