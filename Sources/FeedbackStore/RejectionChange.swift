/// What `FeedbackStore.setRejected` did to each id it was given.
public struct RejectionChange: Sendable, Equatable {
    /// Rows whose mark changed; the generation moved once for all of them.
    public var changed: [Int64] = []
    /// Rows that already had the mark asked for.
    public var unchanged: [Int64] = []
    /// Ids with no row.
    public var missing: [Int64] = []

    public init(changed: [Int64] = [], unchanged: [Int64] = [], missing: [Int64] = []) {
        self.changed = changed
        self.unchanged = unchanged
        self.missing = missing
    }
}
