import FeedbackStore
import Glibc
import SentimentModel
import Support

/// Puts a backup back in place of the model file: `movieclassifier rollback`.
///
/// Without a named backup it takes the newest one whose watermark is below the model's, so
/// that rolling back again goes further back rather than undoing the previous rollback. The
/// current file is backed up first (when it loads), then replaced atomically. The workers
/// reload it and replay the rows after its watermark, so a rollback by itself loses no
/// feedback and changes no prediction: it matters once rows have been rejected, which the
/// replay then passes over.
///
/// With a log that several hosts share (`SharedModelLog`), the backups are the log's earlier
/// model versions: the one restored is published again as the newest version, which every
/// host's workers copy and load, and the replaced one stays among the versions.
public struct ModelRollback {
    public let modelPath: String
    /// The backup to restore; `nil`: the newest one older than the model. With a shared log, a
    /// number names a model version, anything else a file.
    public var target: String?
    /// The log the model versions are in, when several hosts share it.
    public var sharedLog: (any SharedModelLog)?

    public init(modelPath: String, target: String? = nil, sharedLog: (any SharedModelLog)? = nil) {
        self.modelPath = modelPath
        self.target = target
        self.sharedLog = sharedLog
    }

    public func run() throws(ModelUpdateError) -> RollbackReport {
        if let sharedLog { return try run(sharedLog) }
        let backups = Backups(modelPath: modelPath)
        let lock = try FolderLock(folder: backups.folder)
        defer { withExtendedLifetime(lock) {} }
        backups.removeAbandonedTemporaryFiles()

        // A damaged or missing model is what a rollback often repairs: it is then replaced,
        // not backed up.
        let current = try? AtomicFile.read(modelPath)
        let currentWatermark = current.flatMap { try? ModelFile.decode($0, path: modelPath).watermark }
        let restored: (path: String, bytes: [UInt8], watermark: Int64)
        if let target {
            restored = try file(target)
        } else {
            restored = try newestBackup(in: backups, olderThan: currentWatermark)
        }

        var report = RollbackReport(restoredPath: restored.path, restoredWatermark: restored.watermark, previousWatermark: currentWatermark)
        if let current, currentWatermark != nil {
            let backup = try backups.newPath(at: time(nil))
            do {
                try AtomicFile.write(current, to: backup)
            } catch {
                throw .file(error)
            }
            report.previousSavedAs = backup
        }
        do {
            try AtomicFile.write(restored.bytes, to: modelPath)
        } catch {
            throw .file(error)
        }
        return report
    }

    /// The newest backup that loads and, when the model's watermark is known, is below it.
    private func newestBackup(in backups: Backups, olderThan watermark: Int64?) throws(ModelUpdateError) -> (
        path: String, bytes: [UInt8], watermark: Int64
    ) {
        for backup in try backups.list() {
            guard let bytes = try? AtomicFile.read(backup.path),
                let classifier = try? ModelFile.decode(bytes, path: backup.path)
            else { continue }
            if let watermark, classifier.watermark >= watermark { continue }
            return (backup.path, bytes, classifier.watermark)
        }
        throw .noBackup(model: modelPath, olderThan: watermark)
    }

    /// The rollback of the model the hosts share: publishes the restored version again.
    private func run(_ log: any SharedModelLog) throws(ModelUpdateError) -> RollbackReport {
        let lock = try SharedModelLock(log)
        defer { lock.release() }
        let versions: [ModelVersion]
        do {
            versions = try log.modelVersions()
        } catch {
            throw .feedback(error)
        }
        let current = versions.first
        let restored: (path: String, bytes: [UInt8], watermark: Int64)
        if let target, let id = Int64(target) {
            restored = try version(id, of: log)
        } else if let target {
            restored = try file(target)
        } else {
            guard let older = versions.dropFirst().first(where: { version in current.map { version.watermark < $0.watermark } ?? true }) else {
                throw .noBackup(model: log.location, olderThan: current?.watermark)
            }
            restored = try version(older.id, of: log)
        }
        let publication = ModelPublication(modelFile: restored.bytes, watermark: restored.watermark, origin: "rollback to \(restored.path)")
        let published: ModelVersion
        do {
            published = try log.publishModel(publication, ifGeneration: nil, keep: nil)!.published
        } catch {
            throw .feedback(error)
        }
        var report = RollbackReport(restoredPath: restored.path, restoredWatermark: restored.watermark, previousWatermark: current?.watermark)
        report.previousSavedAs = current.map { "model version \($0.id) (kept among the versions)" }
        report.publishedVersion = published
        do {
            try AtomicFile.write(restored.bytes, to: modelPath)
        } catch {
            report.localCopyProblem = "\(error)"
        }
        return report
    }

    /// The model file at `path`, checked, and its watermark.
    private func file(_ path: String) throws(ModelUpdateError) -> (path: String, bytes: [UInt8], watermark: Int64) {
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            throw .model(.unreadable(error))
        }
        do {
            return (path, bytes, try ModelFile.decode(bytes, path: path).watermark)
        } catch {
            throw .model(error)
        }
    }

    /// The version `id`'s bytes, checked, and its watermark.
    private func version(_ id: Int64, of log: any SharedModelLog) throws(ModelUpdateError) -> (path: String, bytes: [UInt8], watermark: Int64) {
        let bytes: [UInt8]?
        do {
            bytes = try log.modelBytes(of: id)
        } catch {
            throw .feedback(error)
        }
        guard let bytes else { throw .noVersion(id, database: log.location) }
        let name = "model version \(id)"
        do {
            return (name, bytes, try ModelFile.decode(bytes, path: "\(log.location): \(name)").watermark)
        } catch {
            throw .model(error)
        }
    }
}
