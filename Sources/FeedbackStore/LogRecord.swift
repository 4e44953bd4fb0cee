/// A row of the log with every column, as a migration copies it to another engine: what the
/// trust rules and the admins decided included, so that nothing is judged again.
public struct LogRecord: Sendable, Equatable {
    public let review: String
    public let sentiment: Int
    public let date: String
    public let id: Int64
    public let rejected: Bool
    public let client: String?
    /// The repeat key of a visitor's text (the trust rules' agreement counts by it).
    public let variant: String?
    /// The live model's P(positive) for the text just before the row was stored.
    public let probabilityPositive: Double?
    /// `FeedbackState`'s raw value.
    public let state: String

    public init(
        review: String, sentiment: Int, date: String, id: Int64, rejected: Bool, client: String?, variant: String?, probabilityPositive: Double?,
        state: String
    ) {
        self.review = review
        self.sentiment = sentiment
        self.date = date
        self.id = id
        self.rejected = rejected
        self.client = client
        self.variant = variant
        self.probabilityPositive = probabilityPositive
        self.state = state
    }
}
