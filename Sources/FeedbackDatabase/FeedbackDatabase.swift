import FeedbackStore
import PostgreSQLFeedbackStore

/// Opens the feedback log a `--db` (or `MOVIECLASSIFIER_DB`) names: a PostgreSQL URL
/// (`postgresql://` or `postgres://`, a log shared by several hosts) or an SQLite file's path
/// (the embedded default, one machine). The one place that tells them apart, for the workers
/// and every admin command alike.
public enum FeedbackDatabase {
    /// Whether `location` names a PostgreSQL server rather than a file.
    public static func isPostgreSQL(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// The log at `location`. An SQLite file is created if missing, unless `mustExist` (the
    /// admin tool reads an existing log, and a mistyped path should say so); a PostgreSQL
    /// database gets its tables on first use either way (there is no file to mistype).
    ///
    /// - Parameter connections: SQLite's `.single` for a CGI process; PostgreSQL always keeps
    ///   one connection.
    public static func open(_ location: String, mustExist: Bool = false, connections: FeedbackStore.Connections = .pool) throws(FeedbackStoreError)
        -> any FeedbackLog
    {
        if isPostgreSQL(location) { return try PostgreSQLFeedbackStore(url: location) }
        return try FeedbackStore(path: location, mustExist: mustExist, connections: connections)
    }
}
