import GRDB

/// A visitor's feedback as stored: the review and its true label (0 negative, 1 positive).
public struct FeedbackRow: Sendable, Equatable {
    public var id: Int64
    public var review: String
    public var sentiment: Int
    /// UTC, `YYYY-MM-DD HH:MM:SS`, as the book's `DATETIME('now')`.
    public var date: String

    public init(id: Int64, review: String, sentiment: Int, date: String) {
        self.id = id
        self.review = review
        self.sentiment = sentiment
        self.date = date
    }
}

/// Why the feedback database could not be used; every message names the file.
public enum FeedbackStoreError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case newerSchema(path: String)
    case failed(path: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the feedback database: \(reason)"
        case .newerSchema(let path):
            return "\(path): the feedback database was created by a newer movieclassifier; use that version, or a copy of the database made before it was upgraded"
        case .failed(let path, let operation, let reason):
            return "\(path): cannot \(operation): \(reason)"
        }
    }
}

/// The feedback database: the book's `review_db` table in an SQLite file in WAL mode, shared by
/// every worker process (each opens its own). WAL lets readers go on while one writer commits;
/// it needs a local disk (not a network file system).
///
/// Used by one thread per process.
public final class FeedbackStore {
    public let path: String
    private let pool: DatabasePool
    /// `PRAGMA data_version` of the writer connection when last looked at.
    private var dataVersion: Int64 = -1
    private var wroteSinceCheck = true

    public init(path: String) throws(FeedbackStoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // FULL: a row is on disk when its commit returns, so an acknowledged feedback
            // survives even a power loss (NORMAL in WAL mode can lose the last commits).
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(error))
        }
        do {
            let migrator = Self.migrator
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) { throw FeedbackStoreError.newerSchema(path: path) }
            try migrator.migrate(pool)
        } catch let error as FeedbackStoreError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    /// The schema's history. `review`, `sentiment` and `date` are the book's columns, so its
    /// scripts still read the table; `id` orders the rows for the live models, and
    /// AUTOINCREMENT keeps ids from ever being reused, since a model file's watermark is an id.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: review_db") { db in
            // The book's table, if the database is the book's own reviews.sqlite, is kept: SQLite
            // cannot add a primary key to a table, so it is rebuilt, rows in their order.
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS review_db (review TEXT, sentiment INTEGER, date TEXT)")
            try db.execute(sql: """
                CREATE TABLE review_db_new (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    review TEXT NOT NULL,
                    sentiment INTEGER NOT NULL,
                    date TEXT NOT NULL DEFAULT (DATETIME('now')));
                INSERT INTO review_db_new (review, sentiment, date)
                    SELECT review, sentiment, COALESCE(date, DATETIME('now')) FROM review_db ORDER BY rowid;
                DROP TABLE review_db;
                ALTER TABLE review_db_new RENAME TO review_db;
                """)
        }
        return migrator
    }

    /// Stores one feedback durably and returns its id.
    @discardableResult
    public func insert(review: String, sentiment: Int) throws(FeedbackStoreError) -> Int64 {
        do {
            let id = try pool.write { db in
                try db.execute(sql: "INSERT INTO review_db (review, sentiment, date) VALUES (?, ?, DATETIME('now'))", arguments: [review, sentiment])
                return db.lastInsertedRowID
            }
            wroteSinceCheck = true
            return id
        } catch {
            throw .failed(path: path, operation: "store the feedback", reason: Self.reason(error))
        }
    }

    /// At most `limit` rows with an id above `id`, in id order: reading in batches keeps memory
    /// bounded however large the table grows.
    public func rows(after id: Int64, limit: Int) throws(FeedbackStoreError) -> [FeedbackRow] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT id, review, sentiment, date FROM review_db WHERE id > ? ORDER BY id LIMIT ?", arguments: [id, limit])
                    .map { FeedbackRow(id: $0["id"], review: $0["review"], sentiment: $0["sentiment"], date: $0["date"]) }
            }
        } catch {
            throw .failed(path: path, operation: "read the feedback", reason: Self.reason(error))
        }
    }

    /// The largest id (0 for an empty table): one index lookup.
    public func latestID() throws(FeedbackStoreError) -> Int64 {
        do {
            return try pool.read { try Int64.fetchOne($0, sql: "SELECT COALESCE(MAX(id), 0) FROM review_db") ?? 0 }
        } catch {
            throw .failed(path: path, operation: "read the feedback", reason: Self.reason(error))
        }
    }

    /// Whether anything was committed, by this process or another, since the last call: the
    /// check every classification makes, so it must cost microseconds. `PRAGMA data_version`
    /// of one connection changes when another connection commits; this process's own writes go
    /// through that same connection and are noted when they happen.
    public func hasChanged() throws(FeedbackStoreError) -> Bool {
        do {
            let version = try pool.writeWithoutTransaction { try Int64.fetchOne($0, sql: "PRAGMA data_version") ?? 0 }
            defer {
                dataVersion = version
                wroteSinceCheck = false
            }
            return wroteSinceCheck || version != dataVersion
        } catch {
            throw .failed(path: path, operation: "check the feedback for changes", reason: Self.reason(error))
        }
    }

    private static func reason(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }
}
