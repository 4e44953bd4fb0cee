/// A visitor's feedback as stored: the review and its true label (0 negative, 1 positive).
///
/// `sentiment` stays an `Int` because the table is shared with the book's scripts, which may
/// store any integer; deciding which rows teach the model is the reader's job.
public struct FeedbackRow: Sendable, Equatable {
    /// Orders the feedback: every live model applies rows in ascending id, and a model file's
    /// watermark is the id of the last row folded into it. Never reused.
    public var id: Int64
    public var review: String
    public var sentiment: Int
    /// UTC, `YYYY-MM-DD HH:MM:SS`, as the book's `DATETIME('now')` writes it.
    public var date: String
    /// Set by an admin (`movieclassifier feedback reject`): the row teaches nothing.
    public var rejected: Bool
    /// The id of the first earlier row with the same review and the same label, rejected or
    /// not; `nil` when there is none. Read from the table with the row, so every reader sees
    /// the same value (see `FeedbackStore.repeatedIDSQL`).
    public var repeatOf: Int64?
    /// Who sent it: a keyed hash of the client's address; nil for a row written outside the
    /// application (the book's scripts, an admin's shell), which is trusted.
    public var client: String?
    /// What the trust rules decided when it was stored, or an admin since.
    public var state: FeedbackState

    public init(
        id: Int64, review: String, sentiment: Int, date: String, rejected: Bool = false, repeatOf: Int64? = nil, client: String? = nil,
        state: FeedbackState = .counts
    ) {
        self.id = id
        self.review = review
        self.sentiment = sentiment
        self.date = date
        self.rejected = rejected
        self.repeatOf = repeatOf
        self.client = client
        self.state = state
    }
}
