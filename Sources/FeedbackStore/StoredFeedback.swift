/// A visitor's row just stored, with the generation it was stored under, read under the same
/// write lock (`FeedbackLog.insertDescribing(_:policy:)`): a worker whose live model had applied
/// every row before it, under that generation, folds the row from what it sent, where reading
/// it back took a read transaction, a query and a copy of the review.
public struct StoredFeedback: Sendable, Equatable {
    /// The row as any reader reads it back.
    public var row: FeedbackRow
    /// The generation the row was stored under.
    public var generation: Int64
    /// The store's change counter just before it was moved for this row (nil without a
    /// counter): when it is the value the worker last looked at, no other writer of this
    /// project announced anything in between.
    public var countBefore: Int64?

    public init(row: FeedbackRow, generation: Int64, countBefore: Int64?) {
        self.row = row
        self.generation = generation
        self.countBefore = countBefore
    }
}
