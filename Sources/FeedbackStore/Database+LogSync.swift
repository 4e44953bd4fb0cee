import GRDB
import GRDBSQLite

extension Database {
    /// Syncs the connection's write-ahead log to disk: what it has committed is then durable.
    ///
    /// The store's writer commits with `synchronous = NORMAL`, which writes a transaction's
    /// pages into the log and lets the write lock go without syncing, and then calls this:
    /// the row is as durable before the visitor is thanked as with `FULL`, but the other
    /// workers no longer wait for this fsync to begin their own transactions, so their fsyncs
    /// overlap instead of queueing behind one lock. A sync covers whatever was written to the
    /// log before it, by any connection; the log cannot be reset under an unsynced commit,
    /// because SQLite syncs the log before every checkpoint and restarts it only after a
    /// complete one.
    func syncLog() throws {
        var file: UnsafeMutablePointer<sqlite3_file>?
        let found = sqlite3_file_control(sqliteConnection, "main", SQLITE_FCNTL_JOURNAL_POINTER, &file)
        guard found == SQLITE_OK, let file, let sync = file.pointee.pMethods?.pointee.xSync else {
            throw DatabaseError(resultCode: .SQLITE_IOERR, message: "the write-ahead log is not open (journal mode is not WAL)")
        }
        let synced = sync(file, SQLITE_SYNC_NORMAL)
        guard synced == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: synced), message: "cannot sync the write-ahead log")
        }
    }
}
