/// A text as a model's vectorizer sees it, made once for a text that is both classified and
/// learned: a feedback's review, which a worker classifies (to record what the model thought)
/// and then learns. Classifying or learning from it gives, bit for bit, what the text itself
/// gives.
///
/// Features belong to the model that made them: valid for any model of the same vectorizer,
/// which learning does not change, and for no other.
public struct TextFeatures: Sendable {
    public let text: String
    let variant: ModelVariant
    /// The n-gram variant's term columns and values (before the feature scales); the book's
    /// normalised feature row.
    let vector: SparseVector
}

extension SentimentClassifier {
    /// The features of `text`, for `decision(_:)` and `learn(_:sentiment:maximumStep:)`.
    public func features(of text: String) -> TextFeatures {
        let vector =
            switch vectorizer {
            case .book(let vectorizer): vectorizer.withFeatures(of: text) { SparseVector(columns: Array($0.columns), values: Array($0.values)) }
            case .ngram(let vectorizer): vectorizer.withTerms(of: text) { SparseVector(columns: Array($0), values: Array($1)) }
            }
        return TextFeatures(text: text, variant: vectorizer.variant, vector: vector)
    }

    /// `decision(features.text)`.
    public func decision(_ features: TextFeatures) -> Double {
        precondition(features.variant == vectorizer.variant, "features of another model's vectorizer")
        return features.vector.withRow { row in
            switch vectorizer {
            case .book: regression.decision(row)
            case .ngram: regression.scaledDecision(columns: row.columns, values: row.values)
            }
        }
    }

    /// `learn(features.text, sentiment:maximumStep:)`.
    public mutating func learn(_ features: TextFeatures, sentiment: Sentiment, maximumStep: Double = .infinity) {
        precondition(features.variant == vectorizer.variant, "features of another model's vectorizer")
        let positive = sentiment == .positive
        features.vector.withRow { row in
            switch vectorizer {
            case .book: regression.learn(row, positive: positive, maximumStep: maximumStep)
            case .ngram: regression.learn(columns: row.columns, values: row.values, positive: positive, maximumStep: maximumStep)
            }
        }
    }
}
