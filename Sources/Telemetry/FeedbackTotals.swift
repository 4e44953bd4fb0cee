/// The feedback figures of the metrics page, from the database: the same on every worker and
/// every host that shares it, and kept across restarts.
public struct FeedbackTotals: Sendable, Equatable {
    /// Rows stored with the live model's prediction, `[predicted][truth]`, 0 negative and 1
    /// positive (rows written outside the application carry no prediction).
    public var confusion: [[Int64]]
    /// Rows held by the trust rules, waiting for an admin or for more clients.
    public var heldRows: Int64
    /// The newest row's id (ids are given in order and never reused).
    public var latestID: Int64

    public init(confusion: [[Int64]], heldRows: Int64, latestID: Int64) {
        precondition(confusion.count == 2 && confusion.allSatisfy { $0.count == 2 }, "a 2×2 table")
        self.confusion = confusion
        self.heldRows = heldRows
        self.latestID = latestID
    }
}
