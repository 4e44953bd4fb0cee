/// The feedback counted for the metrics page: small enough to read on every scrape.
public struct FeedbackTally: Sendable, Equatable {
    /// Rows not rejected that carry the model's prediction, `[predicted][truth]`, 0 negative
    /// and 1 positive: the prediction is positive when `p_positive` is above ½, as the model
    /// decides.
    public var confusion: [[Int64]] = [[0, 0], [0, 0]]
    /// Rows held by the trust rules (not rejected).
    public var heldRows: Int64 = 0
    /// The newest row's id, 0 when there is none.
    public var latestID: Int64 = 0

    public init() {}
}
