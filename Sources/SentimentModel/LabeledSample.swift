/// A text with its true label: a training row, or a visitor's feedback.
public struct LabeledSample: Sendable, Equatable {
    public var text: String
    public var sentiment: Sentiment

    public init(text: String, sentiment: Sentiment) {
        self.text = text
        self.sentiment = sentiment
    }
}
