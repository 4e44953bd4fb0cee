import GRDBSQLite

/// A connection of its own on the database that only ever asks `PRAGMA data_version`: the
/// check a worker makes before every classification.
///
/// A connection's data version moves whenever *another* connection commits, so a connection
/// that never writes sees every commit, this process's included. It talks to SQLite directly:
/// the check is a step and a reset of one prepared statement, where going through the pool's
/// serialized writer cost a dispatch-queue hop and more than the pragma itself.
final class ChangeWatch {
    private let path: String
    private let connection: OpaquePointer
    private let statement: OpaquePointer

    /// Opens `path`, which exists (the pool has created it).
    init(path: String) throws(FeedbackStoreError) {
        self.path = path
        var connection: OpaquePointer?
        let opened = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard opened == SQLITE_OK, let connection else {
            let reason = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "SQLite error \(opened)"
            sqlite3_close(connection)
            throw .cannotOpen(path: path, reason: reason)
        }
        // Readers of a WAL database wait only while a checkpoint restarts the log.
        sqlite3_busy_timeout(connection, Int32(FeedbackStore.busyTimeoutSeconds * 1000))
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "PRAGMA data_version", -1, &statement, nil) == SQLITE_OK, let statement else {
            let reason = String(cString: sqlite3_errmsg(connection))
            sqlite3_close(connection)
            throw .cannotOpen(path: path, reason: reason)
        }
        self.connection = connection
        self.statement = statement
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close(connection)
    }

    /// The connection's data version now.
    func dataVersion() throws(FeedbackStoreError) -> Int64 {
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else {
            throw .failed(path: path, operation: "check the feedback for changes", reason: String(cString: sqlite3_errmsg(connection)))
        }
        return sqlite3_column_int64(statement, 0)
    }
}
