import FeedbackStore
import Glibc
import LiveModel
import SentimentModel
import Support

/// What an update did (or, for a dry run, would do).
public struct UpdateReport: Sendable {
    public let modelPath: String
    /// The id of the last row the model file held before.
    public let oldWatermark: Int64
    /// After: the last row read.
    public var newWatermark: Int64 = 0
    public let dryRun: Bool
    /// Rows learned.
    public var learned = 0
    /// Rows passed over, by reason; their ids are behind the watermark all the same.
    public var skipped: [FeedbackVerdict.SkipReason: Int] = [:]
    /// Dry run only: learned rows whose label the model, as it stood just before the row, did
    /// not predict. The visitor said the model was wrong, which is why most feedback exists.
    public var modelWrong: Int?
    /// Where the previous model file was saved; `nil` when nothing was replaced.
    public var backupPath: String?
    /// Old backups deleted to keep the newest `keep`.
    public var removedBackups: [String] = []
    /// With a shared log: the model version published, which every host loads.
    public var publishedVersion: ModelVersion?
    /// With a shared log: old versions deleted to keep the newest `keep`.
    public var removedVersions: [ModelVersion] = []
    /// With a shared log: why this host's model file could not be written (its workers copy
    /// the version themselves), nil when it was.
    public var localCopyProblem: String?
    /// Reading and applying the rows, without the backup and the save.
    public var foldingSeconds = 0.0

    /// Every row read, learned or skipped.
    public var rowsRead: Int { learned + skipped.values.reduce(0, +) }
}
