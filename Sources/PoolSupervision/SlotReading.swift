/// What a worker's scoreboard slot says at one moment, as the master reads it.
public struct SlotReading: Sendable, Equatable {
    /// The worker has loaded its model, opened the database and waits for connections.
    public var ready: Bool
    /// When its request in progress started (`CLOCK_MONOTONIC` nanoseconds), nil when idle.
    public var requestStartedAt: Int64?

    public init(ready: Bool, requestStartedAt: Int64? = nil) {
        self.ready = ready
        self.requestStartedAt = requestStartedAt
    }
}
