import Glibc

/// Syncs a database's write-ahead log (`<database>-wal`) through a descriptor of its own, from
/// a thread other than the one that writes: a sync covers everything written to the file before
/// it, by any connection, so a worker's thread can make its commits durable while the worker
/// goes on with the next request (see `FeedbackStore.defersLogSync`).
///
/// The log stays the same file while the worker lives: SQLite deletes it only when the last
/// connection to the database closes, and the worker's own stay open. Used by one thread.
public final class LogFileSync: @unchecked Sendable {
    public let path: String
    private var descriptor: Int32 = -1

    public init(databasePath: String) {
        path = databasePath + "-wal"
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Syncs the log's data to disk. The first call also syncs the folder, so that the log's
    /// own name is on disk too (SQLite does so for a log it has just created).
    public func sync() throws(FeedbackStoreError) {
        if descriptor < 0 {
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else { throw failure("open") }
            descriptor = opened
            let folder = open(Self.folder(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            defer { if folder >= 0 { close(folder) } }
            guard folder >= 0, fsync(folder) == 0 else { throw failure("sync the folder of") }
        }
        guard fdatasync(descriptor) == 0 else { throw failure("sync") }
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private func failure(_ operation: String) -> FeedbackStoreError {
        .failed(path: path, operation: "\(operation) the write-ahead log", reason: String(cString: strerror(errno)))
    }
}
