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
public struct ModelRollback {
    public let modelPath: String
    /// The backup to restore; `nil`: the newest one older than the model.
    public var target: String?

    public init(modelPath: String, target: String? = nil) {
        self.modelPath = modelPath
        self.target = target
    }

    public func run() throws(ModelUpdateError) -> RollbackReport {
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
            let bytes: [UInt8]
            do {
                bytes = try AtomicFile.read(target)
            } catch {
                throw .model(.unreadable(error))
            }
            do {
                restored = (target, bytes, try ModelFile.decode(bytes, path: target).watermark)
            } catch {
                throw .model(error)
            }
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
}
