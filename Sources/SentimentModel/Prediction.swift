/// What the classifier says about one text.
public struct Prediction: Sendable, Equatable {
    public let sentiment: Sentiment
    /// `P(positive)`.
    public let probabilityPositive: Double

    /// The probability of the predicted class, as the book's results page shows it.
    public var probability: Double {
        sentiment == .positive ? probabilityPositive : 1 - probabilityPositive
    }
}
