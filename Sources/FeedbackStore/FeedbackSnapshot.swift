/// Where the feedback stood at one instant.
public struct FeedbackSnapshot: Sendable, Equatable {
    /// The id of the newest row, 0 when there is none.
    public var latestID: Int64
    /// How many reject and accept decisions have been made (`FeedbackStore.generation()`).
    public var generation: Int64

    public init(latestID: Int64, generation: Int64) {
        self.latestID = latestID
        self.generation = generation
    }
}
