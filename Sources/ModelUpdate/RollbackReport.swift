import Glibc
import SentimentModel
import Support

/// What a rollback did.
public struct RollbackReport: Sendable {
    public let restoredPath: String
    public let restoredWatermark: Int64
    /// The replaced model's watermark; `nil` when it was missing or did not load.
    public let previousWatermark: Int64?
    /// Where the replaced model was saved; `nil` when it was missing or did not load.
    public var previousSavedAs: String?
}
