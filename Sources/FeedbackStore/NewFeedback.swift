/// A feedback to store, as a worker knows it when the visitor sends it.
public struct NewFeedback: Sendable, Equatable {
    public var review: String
    /// The true label the visitor gave: 0 negative, 1 positive.
    public var sentiment: Int
    /// The client's id: a keyed hash of its address (never the address itself).
    public var client: String
    /// The live model's P(positive) for the review, just before storing.
    public var probabilityPositive: Double

    public init(review: String, sentiment: Int, client: String, probabilityPositive: Double) {
        self.review = review
        self.sentiment = sentiment
        self.client = client
        self.probabilityPositive = probabilityPositive
    }
}
