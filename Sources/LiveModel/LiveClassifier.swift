import FeedbackStore
import Glibc
import SentimentModel

/// A worker's resident model, kept to the one rule that makes every worker agree:
/// **the model file + every feedback row after its watermark, applied in id order.**
///
/// Before classifying, it catches up on rows any worker has stored since (a `PRAGMA
/// data_version` check when nothing is new), and reloads the model file when it has been
/// replaced (by the update tool, or a rollback). A feedback is stored durably first, then
/// learned through the same catch-up, so a worker's own rows and everyone else's are applied in
/// one order. Used by one thread.
public final class LiveClassifier {
    public let modelPath: String
    public let store: FeedbackStore
    /// The live model; its `watermark` is the last row applied.
    public private(set) var classifier: SentimentClassifier
    /// Rows read per query while catching up: bounded memory however many are pending.
    public let batchSize: Int
    private var fileIdentity: FileIdentity

    public init(modelPath: String, store: FeedbackStore, batchSize: Int = 1000) throws {
        self.modelPath = modelPath
        self.store = store
        self.batchSize = batchSize
        fileIdentity = try FileIdentity(path: modelPath)
        classifier = try ModelFile.load(from: modelPath)
        try catchUp()
    }

    /// The id of the last feedback row the live model has learned.
    public var watermark: Int64 { classifier.watermark }

    public func classify(_ review: String) throws -> Prediction {
        try refresh()
        return classifier.classify(review)
    }

    public func recordFeedback(review: String, sentiment: Sentiment) throws {
        try store.insert(review: review, sentiment: sentiment.rawValue)
        try refresh()
    }

    /// Reloads a replaced model file, then applies whatever is new.
    private func refresh() throws {
        let identity = try FileIdentity(path: modelPath)
        if identity != fileIdentity {
            classifier = try ModelFile.load(from: modelPath)
            fileIdentity = identity
            try catchUp()
            return
        }
        if try store.hasChanged() { try catchUp() }
    }

    private func catchUp() throws {
        while true {
            let rows = try store.rows(after: classifier.watermark, limit: batchSize)
            for row in rows {
                if let sentiment = Sentiment(rawValue: row.sentiment), !row.review.isEmpty {
                    classifier.learn(row.review, sentiment: sentiment)
                }
                classifier.watermark = row.id
            }
            if rows.count < batchSize { return }
        }
    }
}

/// Which file a path names, cheaply: an atomic replace (rename) gives a new inode.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: Int

    init(path: String) throws(ModelFileError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadable(AtomicFile.Failure(path: path, operation: "stat it", code: errno))
        }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec
    }
}
