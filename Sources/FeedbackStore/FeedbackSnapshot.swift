/// Where the feedback stood at one instant.
public struct FeedbackSnapshot: Sendable, Equatable {
    /// The id of the newest row, 0 when there is none.
    public var latestID: Int64
    /// How many reject and accept decisions have been made (`FeedbackStore.generation()`).
    public var generation: Int64
}

/// Which rows an admin lists or exports.
public enum FeedbackFilter: Sendable {
    case all
    case rejected
    case notRejected
}

/// What `FeedbackStore.setRejected` did to each id it was given.
public struct RejectionChange: Sendable, Equatable {
    /// Rows whose mark changed; the generation moved once for all of them.
    public var changed: [Int64] = []
    /// Rows that already had the mark asked for.
    public var unchanged: [Int64] = []
    /// Ids with no row.
    public var missing: [Int64] = []
}
