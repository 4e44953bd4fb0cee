/// The feedback counted for the metrics page: small enough to read on every scrape.
public struct FeedbackTally: Sendable, Equatable {
    /// Rows not rejected that carry the model's prediction, by that prediction and the truth.
    public var confusion = FeedbackStatistics.Confusion()
    /// Rows held by the trust rules (not rejected).
    public var heldRows: Int64 = 0
    /// The newest row's id, 0 when there is none.
    public var latestID: Int64 = 0

    public init() {}
}
