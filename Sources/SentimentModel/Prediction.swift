/// What the classifier says about one text.
public struct Prediction: Sendable, Equatable {
    public let sentiment: Sentiment
    /// `P(positive)`.
    public let probabilityPositive: Double

    public init(sentiment: Sentiment, probabilityPositive: Double) {
        self.sentiment = sentiment
        self.probabilityPositive = probabilityPositive
    }

    /// The prediction of the decision `w·x + b`: positive when it is above 0, as scikit-learn's
    /// `predict`.
    public init(decision: Double) {
        self.init(sentiment: decision > 0 ? .positive : .negative, probabilityPositive: LogisticRegression.sigmoid(decision))
    }

    /// The probability of the predicted class, as the book's results page shows it.
    public var probability: Double {
        sentiment == .positive ? probabilityPositive : 1 - probabilityPositive
    }
}
