import FeedbackStore
import Glibc
import LiveModel
import SentimentModel

/// Folds the feedback into the model file: the update tool's work, as `movieclassifier update`
/// runs it.
///
/// It reads the rows after the file's watermark, up to the newest row present when it started
/// (rows stored meanwhile wait for the next run), in batches that a second thread reads ahead
/// of the folding (`FeedbackReadAhead`), and applies each with
/// `SentimentClassifier.fold`, the code the live workers run, in the same id order: the new
/// file holds the weights every caught-up worker already has, so replacing it changes no
/// prediction. Then it backs the old file up beside it and replaces it atomically.
///
/// Safe to kill at any instant: until the rename the model file is the old one, and after it
/// the new one; a backup or temporary file left behind is harmless, and the next run folds
/// whatever is still after the watermark.
public struct ModelUpdater {
    public let modelPath: String
    public let store: FeedbackStore
    /// Rows read per query: memory is bounded by one batch, however large the table.
    public var batchSize = 10_000
    /// Backups kept after the update, the new one included.
    public var keep = 10
    /// Report what would be folded, and how often the model was wrong on it; change nothing.
    public var dryRun = false

    public init(modelPath: String, store: FeedbackStore) {
        self.modelPath = modelPath
        self.store = store
    }

    public func run() throws(ModelUpdateError) -> UpdateReport {
        precondition(batchSize > 0 && keep > 0)
        let backups = Backups(modelPath: modelPath)
        let lock = dryRun ? nil : try FolderLock(folder: backups.folder)
        defer { withExtendedLifetime(lock) {} }
        if !dryRun { backups.removeAbandonedTemporaryFiles() }

        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(modelPath)
        } catch {
            throw .model(.unreadable(error))
        }
        var model: SentimentClassifier
        do {
            model = try ModelFile.decode(bytes, path: modelPath)
        } catch {
            throw .model(error)
        }
        let snapshot: FeedbackSnapshot
        do {
            snapshot = try store.snapshot()
        } catch {
            throw .feedback(error)
        }

        let started = ContinuousClock.now
        var report = UpdateReport(modelPath: modelPath, oldWatermark: model.watermark, dryRun: dryRun)
        if dryRun { report.modelWrong = 0 }
        let batches = FeedbackReadAhead(store: store, after: model.watermark, through: snapshot.latestID, batchSize: batchSize)
        reading: while true {
            switch batches.next() {
            case .rows(let rows):
                for row in rows {
                    if dryRun, case .learn(let sample) = FeedbackVerdict(row), model.classify(sample.text).sentiment != sample.sentiment {
                        report.modelWrong! += 1
                    }
                    switch model.fold(row) {
                    case .learn: report.learned += 1
                    case .skip(let reason): report.skipped[reason, default: 0] += 1
                    }
                }
            case .end:
                break reading
            case .failed(let error):
                throw .feedback(error)
            }
        }
        report.newWatermark = model.watermark
        report.foldingSeconds = (ContinuousClock.now - started).seconds
        guard !dryRun, report.rowsRead > 0 else { return report }

        let backup = try backups.newPath(at: time(nil))
        do {
            try AtomicFile.write(bytes, to: backup)
        } catch {
            throw .file(error)
        }
        report.backupPath = backup
        let saved: Result<Void, ModelUpdateError>
        do {
            saved = try store.holdingWriteLock { generation in
                guard generation == snapshot.generation else { return .failure(.decisionsChanged(database: store.path)) }
                return Result { () throws(ModelFileError) in try ModelFile.save(model, to: modelPath) }.mapError(ModelUpdateError.model)
            }
        } catch {
            unlink(backup)
            throw .feedback(error)
        }
        if case .failure(let error) = saved {
            unlink(backup)
            throw error
        }
        report.removedBackups = try backups.prune(keep: keep)
        return report
    }
}

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
    /// Reading and applying the rows, without the backup and the save.
    public var foldingSeconds = 0.0

    /// Every row read, learned or skipped.
    public var rowsRead: Int { learned + skipped.values.reduce(0, +) }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
