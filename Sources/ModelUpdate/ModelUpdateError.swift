import FeedbackStore
import Glibc
import SentimentModel
import Support

/// Why an update or a rollback stopped. Nothing was replaced: the model file is as it was.
public enum ModelUpdateError: Error, CustomStringConvertible {
    case model(ModelFileError)
    case feedback(FeedbackStoreError)
    case file(AtomicFile.Failure)
    /// Another update or rollback holds the model's folder.
    case busy(folder: String)
    /// Another update or rollback, on this host or another, holds the shared log's model lock.
    case busyElsewhere(database: String)
    /// An admin rejected or accepted a row while the update read the feedback, so the rows it
    /// folded may not be the ones that count now.
    case decisionsChanged(database: String)
    /// The shared log has no model version of that number (never, or deleted by `--keep`).
    case noVersion(Int64, database: String)
    /// No backup to roll back to.
    case noBackup(model: String, olderThan: Int64?)

    public var description: String {
        switch self {
        case .model(let error): return error.description
        case .feedback(let error): return error.description
        case .file(let failure): return failure.description
        case .busy(let folder):
            return
                "\(folder): another movieclassifier update or rollback is working on a model in this folder. Wait for it to finish, then run this again."
        case .busyElsewhere(let database):
            return
                "\(database): another movieclassifier update or rollback, on one of the hosts sharing this database, is publishing a model. Wait for it to finish, then run this again."
        case .decisionsChanged(let database):
            return
                "\(database): feedback was rejected or accepted while the update ran, so it may have folded a row that no longer counts. Nothing was changed; run the update again."
        case .noVersion(let id, let database):
            return "\(database): there is no model version \(id). `movieclassifier versions --db` lists those kept."
        case .noBackup(let model, let watermark?):
            return "\(model): no backup older than the model (watermark \(watermark)) loads. Give one with --to."
        case .noBackup(let model, nil):
            return "\(model): no backup of the model loads. Give one with --to, or retrain."
        }
    }
}
