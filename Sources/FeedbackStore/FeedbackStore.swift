import GRDB
import Glibc

/// The feedback database: the book's `review_db` table, with ids, in an SQLite file in WAL mode.
///
/// Every worker process opens its own `FeedbackStore` on the same file; WAL lets them all read
/// while one of them commits. WAL needs a local disk (not a network file system). A store is
/// used by one thread.
public final class FeedbackStore {
    /// The database file, as given; every error names it.
    public let path: String
    let pool: DatabasePool
    /// `PRAGMA data_version` of the writer connection when `hasChanged()` last looked.
    private var seenDataVersion: Int64 = 0
    /// Set by `insert`: the writer's own commits do not move its `data_version`.
    private var committedSinceCheck = false

    /// How long a worker waits for the others' locks before it gives up.
    static let busyTimeoutSeconds = 5

    /// Opens the database at `path`, creating it (and its table) if the file does not exist.
    ///
    /// Refuses a folder that does not exist or is not writable, a file that is not SQLite, and
    /// a database upgraded by a newer version of this program.
    public init(path: String) throws(FeedbackStoreError) {
        self.path = path
        try Self.checkFolder(of: path)
        var configuration = Configuration()
        // Workers write one row at a time; waiting a little for another worker's commit is
        // better than failing a visitor's request.
        configuration.busyMode = .timeout(Double(Self.busyTimeoutSeconds))
        do {
            pool = try Self.openPool(path: path, configuration: configuration)
            // FULL: in WAL mode SQLite then syncs the log at every commit, so a feedback row is
            // on disk before `insert` returns and the visitor is thanked; with NORMAL, which
            // GRDB sets on a pool's writer, a power loss or an OS crash can undo the last
            // commits. Only the writer connection commits, so only it needs the setting.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrate(pool, path: path)
        } catch let error as FeedbackStoreError {
            throw error
        } catch {
            throw Self.openingError(error, path: path)
        }
        seenDataVersion = try dataVersion()
    }

    /// The schema's history; each build knows a prefix of it.
    ///
    /// v1 is the book's table, `review_db (review TEXT, sentiment INTEGER, date TEXT)`, so the
    /// book's scripts still read and write it, plus `id`, which orders the rows for the live
    /// models. AUTOINCREMENT keeps an id from ever being reused (even after the newest rows
    /// are deleted), because a model file's watermark is an id.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: review_db") { db in
            let table = """
                CREATE TABLE review_db (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    review TEXT NOT NULL,
                    sentiment INTEGER NOT NULL,
                    date TEXT NOT NULL DEFAULT (DATETIME('now')))
                """
            if try db.tableExists("review_db") {
                // The book's own reviews.sqlite: SQLite cannot add a primary key to a table, so
                // the table is rebuilt, its rows numbered in their order.
                try db.execute(sql: "ALTER TABLE review_db RENAME TO review_db_book")
                try db.execute(sql: table)
                try db.execute(sql: """
                    INSERT INTO review_db (review, sentiment, date)
                        SELECT review, sentiment, COALESCE(date, DATETIME('now')) FROM review_db_book ORDER BY rowid;
                    DROP TABLE review_db_book;
                    """)
            } else {
                try db.execute(sql: table)
            }
        }
        return migrator
    }

    /// Stores one feedback durably, in one transaction, and returns its id.
    @discardableResult
    public func insert(review: String, sentiment: Int) throws(FeedbackStoreError) -> Int64 {
        let id: Int64
        do {
            id = try pool.write { db in
                try db.cachedStatement(sql: "INSERT INTO review_db (review, sentiment, date) VALUES (?, ?, DATETIME('now'))")
                    .execute(arguments: [review, sentiment])
                return db.lastInsertedRowID
            }
        } catch {
            throw .failed(path: path, operation: "store the feedback", reason: "\(error)")
        }
        committedSinceCheck = true
        return id
    }

    /// At most `limit` rows with an id above `id`, in ascending id: a reader walks the table in
    /// batches, so its memory stays bounded however large the table grows.
    public func rows(after id: Int64, limit: Int) throws(FeedbackStoreError) -> [FeedbackRow] {
        precondition(limit > 0, "a batch holds at least one row (SQLite reads a negative LIMIT as no limit)")
        do {
            return try pool.read { db in
                let statement = try db.cachedStatement(sql: "SELECT id, review, sentiment, date FROM review_db WHERE id > ? ORDER BY id LIMIT ?")
                return try Array(Row.fetchCursor(statement, arguments: [id, limit]).map { row in
                    FeedbackRow(id: row[0], review: row[1], sentiment: row[2], date: row[3])
                })
            }
        } catch {
            throw .failed(path: path, operation: "read the feedback", reason: "\(error)")
        }
    }

    /// The id of the newest row, 0 when there is none: one lookup at the end of the id index.
    public func latestID() throws(FeedbackStoreError) -> Int64 {
        do {
            return try pool.read { db in
                try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM review_db")) ?? 0
            }
        } catch {
            throw .failed(path: path, operation: "read the feedback", reason: "\(error)")
        }
    }

    /// Whether anything was committed to the database, by this store or by any other
    /// connection or process, since the previous call (or, for the first call, since the
    /// store was opened).
    ///
    /// Workers call it before every classification, so it costs one pragma on an open
    /// connection and no table access: `PRAGMA data_version` of a connection changes whenever
    /// *another* connection commits. The store asks its writer connection, whose own commits
    /// do not move that number, so `insert` notes them instead. A `true` can be spurious (an
    /// unrelated commit); a commit is never missed.
    public func hasChanged() throws(FeedbackStoreError) -> Bool {
        let version = try dataVersion()
        let changed = committedSinceCheck || version != seenDataVersion
        seenDataVersion = version
        committedSinceCheck = false
        return changed
    }

    private func dataVersion() throws(FeedbackStoreError) -> Int64 {
        do {
            return try pool.writeWithoutTransaction { db in
                try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
            }
        } catch {
            throw .failed(path: path, operation: "check the feedback for changes", reason: "\(error)")
        }
    }

    /// Opens the pool, waiting out the one conflict the busy timeout does not cover: turning a
    /// new file into a WAL database needs an exclusive lock, and when several connections try
    /// at once SQLite refuses all but one at once (SQLITE_BUSY) instead of letting them wait
    /// for each other. The workers of a first start, creating the file together, do just that.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = ContinuousClock.now + .seconds(busyTimeoutSeconds)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline {
                usleep(10_000)
            }
        }
    }

    /// Brings the schema up to this build's version, or refuses a newer one.
    private static func migrate(_ pool: DatabasePool, path: String) throws {
        let migrator = Self.migrator
        let applied = try pool.read { try migrator.appliedIdentifiers($0) }
        let unknown = applied.subtracting(migrator.migrations)
        guard unknown.isEmpty else { throw FeedbackStoreError.newerSchema(path: path, unknownMigrations: unknown.sorted()) }
        do {
            try migrator.migrate(pool)
        } catch {
            // Every worker opens the database when the pool starts. GRDB decides which
            // migrations to run before it takes the write lock, so on a new file all workers
            // but one fail to record v1 (their transaction rolls back). The winner's schema is
            // then in place, which is all a loser needs.
            guard try pool.read({ try migrator.hasCompletedMigrations($0) }) else { throw error }
        }
    }

    /// A missing or read-only folder is refused up front: SQLite reports either as "unable to
    /// open database file", which does not tell the operator what to fix.
    private static func checkFolder(of path: String) throws(FeedbackStoreError) {
        let folder: String
        if let slash = path.lastIndex(of: "/") {
            folder = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            folder = "."
        }
        var info = stat()
        guard stat(folder, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .folderMissing(path: path, folder: folder) }
            throw .cannotOpen(path: path, reason: "cannot look at the folder \(folder): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .folderMissing(path: path, folder: folder) }
        guard access(folder, W_OK | X_OK) == 0 else { throw .folderNotWritable(path: path, folder: folder) }
    }

    private static func openingError(_ error: any Error, path: String) -> FeedbackStoreError {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_NOTADB {
            return .notADatabase(path: path)
        }
        return .cannotOpen(path: path, reason: "\(error)")
    }
}
