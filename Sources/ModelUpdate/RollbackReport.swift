import FeedbackStore
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
    /// With a shared log: the model version published, which every host loads.
    public var publishedVersion: ModelVersion?
    /// With a shared log: why this host's model file could not be written (its workers copy
    /// the version themselves), nil when it was.
    public var localCopyProblem: String?
}
