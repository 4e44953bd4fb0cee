import FeedbackStore
import Glibc
import LiveModel
import SentimentModel
import Support

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
///
/// With a log that several hosts share (`SharedModelLog`, PostgreSQL) the model is the log's
/// newest model version: the update starts from it, publishes the new model as the next
/// version (the earlier ones are the backups, `keep` of them kept), and writes this host's
/// model file too; the workers of every host copy and load it. One update or rollback runs at
/// a time across the hosts (the log's model lock).
public struct ModelUpdater {
    public let modelPath: String
    public let store: any FeedbackLog
    /// Rows read per query: memory is bounded by one batch, however large the table.
    public var batchSize = 10_000
    /// Backups kept after the update, the new one included.
    public var keep = 10
    /// Report what would be folded, and how often the model was wrong on it; change nothing.
    public var dryRun = false

    public init(modelPath: String, store: any FeedbackLog) {
        self.modelPath = modelPath
        self.store = store
    }

    public func run() throws(ModelUpdateError) -> UpdateReport {
        precondition(batchSize > 0 && keep > 0)
        let backups = Backups(modelPath: modelPath)
        let lock = dryRun ? nil : try FolderLock(folder: backups.folder)
        defer { withExtendedLifetime(lock) {} }
        let shared = store as? any SharedModelLog
        let modelLock = dryRun ? nil : try shared.map { log throws(ModelUpdateError) in try SharedModelLock(log) }
        defer { modelLock?.release() }
        if !dryRun { backups.removeAbandonedTemporaryFiles() }

        let (bytes, base) = try Self.baseModel(path: modelPath, shared: shared)
        var model: SentimentClassifier
        do {
            model = try ModelFile.decode(bytes, path: base)
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
        guard !dryRun else { return report }
        if let shared {
            guard report.rowsRead > 0 else { return report }
            try publish(model, to: shared, generation: snapshot.generation, into: &report)
            return report
        }
        guard report.rowsRead > 0 else {
            // Nothing to fold, but an update killed after it replaced the model and before it
            // pruned left one backup too many: this run finishes the job.
            report.removedBackups = try backups.prune(keep: keep)
            return report
        }

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
                guard generation == snapshot.generation else { return .failure(.decisionsChanged(database: store.location)) }
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

    /// The model to fold into, and what error messages call it: the shared log's newest
    /// version when there is one, else the model file.
    private static func baseModel(path: String, shared: (any SharedModelLog)?) throws(ModelUpdateError) -> (bytes: [UInt8], name: String) {
        do {
            if let shared, let newest = try shared.newestModelVersion(), let bytes = try shared.modelBytes(of: newest.id) {
                return (bytes, "model version \(newest.id) of \(shared.location)")
            }
        } catch {
            throw .feedback(error)
        }
        do {
            return (try AtomicFile.read(path), path)
        } catch {
            throw .model(.unreadable(error))
        }
    }

    /// Publishes the folded model as the shared log's next version, unless an admin decided
    /// meanwhile, and writes this host's model file (its workers would copy it all the same).
    private func publish(_ model: SentimentClassifier, to shared: any SharedModelLog, generation: Int64, into report: inout UpdateReport)
        throws(ModelUpdateError)
    {
        let bytes = ModelFile.encode(model)
        let publication = ModelPublication(modelFile: bytes, watermark: model.watermark, origin: "update")
        let outcome: (published: ModelVersion, removed: [ModelVersion])?
        do {
            outcome = try shared.publishModel(publication, ifGeneration: generation, keep: keep)
        } catch {
            throw .feedback(error)
        }
        guard let outcome else { throw .decisionsChanged(database: shared.location) }
        report.publishedVersion = outcome.published
        report.removedVersions = outcome.removed
        do {
            try AtomicFile.write(bytes, to: modelPath)
        } catch {
            report.localCopyProblem = "\(error)"
        }
    }
}
