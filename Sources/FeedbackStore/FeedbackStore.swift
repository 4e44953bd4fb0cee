import GRDB
import Glibc
import Support

/// The feedback database: the book's `review_db` table, with ids, in an SQLite file in WAL mode.
///
/// Every worker process opens its own `FeedbackStore` on the same file; WAL lets them all read
/// while one of them commits. WAL needs a local disk (not a network file system). A store is
/// used by one thread.
public final class FeedbackStore: FeedbackLog {
    /// How many connections a store keeps on the database.
    public enum Connections: Sendable {
        case pool
        case single
    }

    /// The database file, as given; every error names it.
    public let path: String
    public var location: String { path }
    let pool: any DatabaseWriter
    /// The connection `hasChanged()` asks.
    private let changeWatch: ChangeWatch
    /// Its data version when `hasChanged()` last looked.
    private var seenDataVersion: Int64 = 0
    /// Moved after every commit of this store (see `changeCount`); nil where its file cannot be
    /// made.
    private let changes: ChangeCounter?

    /// Whether the writes leave the log's sync to the caller: a FastCGI worker, which syncs on
    /// a thread of its own (`LogFileSync`) while it reads the next request, and answers a
    /// request whose write is not yet synced (`takeUnsyncedCommit()`) only after that sync.
    /// Off by default: every write is then on disk when it returns.
    public var defersLogSync = false
    /// A write committed since the last `takeUnsyncedCommit()` without its sync.
    private var hasUnsyncedCommit = false

    /// How long a worker waits for the others' locks before it gives up.
    static let busyTimeoutSeconds = 5

    /// Opens the database at `path`, creating it (and its table) if the file does not exist,
    /// unless `mustExist`: the admin tool reads an existing database, and a mistyped path
    /// should say so rather than leave an empty database behind.
    ///
    /// Refuses a folder that does not exist or is not writable, a file that is not SQLite, and
    /// a database upgraded by a newer version of this program.
    ///
    /// - Parameter connections: `.pool` (a writer and readers, the default) for a process that
    ///   serves many requests; `.single` for a process that answers one request and exits (plain
    ///   CGI), which then starts no reader threads.
    public init(path: String, mustExist: Bool = false, connections: Connections = .pool) throws(FeedbackStoreError) {
        self.path = path
        if mustExist && access(path, F_OK) != 0 { throw .missing(path: path) }
        try Self.checkFolder(of: path)
        var configuration = Configuration()
        // Workers write one row at a time; waiting a little for another worker's commit is
        // better than failing a visitor's request.
        configuration.busyMode = .timeout(Double(Self.busyTimeoutSeconds))
        do {
            pool = try Self.open(path: path, configuration: configuration, connections: connections)
            // NORMAL: a commit writes the log and lets the lock go; every write of this store
            // then syncs the log itself (`durably`) before it returns, or leaves the sync to a
            // worker that makes it before it answers (`defersLogSync`), so a feedback row is on
            // disk before the visitor is thanked, as with FULL, but not while the other workers
            // wait for the lock. Only the writer connection commits, so only it needs the setting.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = NORMAL") }
            try Self.migrate(pool, path: path)
        } catch let error as FeedbackStoreError {
            throw error
        } catch {
            throw Self.openingError(error, path: path)
        }
        changes = ChangeCounter(databasePath: path)
        changeWatch = try ChangeWatch(path: path)
        seenDataVersion = try dataVersion()
    }

    /// A counter that every store on this database moves after it commits a feedback row, a
    /// rejection or an acceptance, or lets the update tool replace the model file under the
    /// write lock (`<database>-changes`, shared memory): reading it costs no system call, so a
    /// worker reads it before every answer and asks `hasChanged()` and the model file only when
    /// it moved, or when its periodic full check is due (for writers that do not move it).
    /// Nil when the counter's file cannot be made beside the database.
    public var changeCount: Int64? {
        changes?.value
    }

    /// Moves `changeCount`, after a commit of this store.
    private func announceChange() {
        changes?.bump()
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
                try db.execute(
                    sql: """
                        INSERT INTO review_db (review, sentiment, date)
                            SELECT review, sentiment, COALESCE(date, DATETIME('now')) FROM review_db_book ORDER BY rowid;
                        DROP TABLE review_db_book;
                        """)
            } else {
                try db.execute(sql: table)
            }
        }
        migrator.registerMigration("v2: rejection, repeats, the book's column order") { db in
            // The book's update.py reads `SELECT * FROM review_db` and takes column 0 as the
            // review and column 1 as the label, so the table is rebuilt with its columns first
            // and ours after; ids are kept, and so is the AUTOINCREMENT counter (a model's
            // watermark must never see an id again). The book's INSERTs name their columns and
            // `rejected` has a default, so they keep working.
            let counter = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'review_db'") ?? 0
            try db.execute(
                sql: """
                    CREATE TABLE review_db_v2 (
                        review TEXT NOT NULL,
                        sentiment INTEGER NOT NULL,
                        date TEXT NOT NULL DEFAULT (DATETIME('now')),
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        rejected INTEGER NOT NULL DEFAULT 0);
                    INSERT INTO review_db_v2 (review, sentiment, date, id) SELECT review, sentiment, date, id FROM review_db ORDER BY id;
                    DROP TABLE review_db;
                    ALTER TABLE review_db_v2 RENAME TO review_db;
                    """)
            let highest = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'review_db'") ?? 0
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'review_db'")
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('review_db', ?)", arguments: [max(counter, highest)])
            try db.execute(
                sql: """
                    CREATE INDEX review_db_repeats ON review_db (\(repeatKeySQL("review")), sentiment);
                    CREATE TABLE feedback_generation (generation INTEGER NOT NULL);
                    INSERT INTO feedback_generation (generation) VALUES (0);
                    """)
        }
        migrator.registerMigration("v3: who sent each row, and what the trust rules decided") { db in
            // Added after the book's three columns (and ours), so `SELECT *` in the book's
            // scripts still finds review, sentiment and date first; their INSERTs leave the new
            // columns NULL and the state 'counts': rows written outside the application are an
            // admin's, and trusted.
            try db.execute(
                sql: """
                    ALTER TABLE review_db ADD COLUMN client TEXT;
                    ALTER TABLE review_db ADD COLUMN variant TEXT;
                    ALTER TABLE review_db ADD COLUMN p_positive REAL;
                    ALTER TABLE review_db ADD COLUMN state TEXT NOT NULL DEFAULT 'counts';
                    CREATE INDEX review_db_variant ON review_db (variant, sentiment, client) WHERE variant IS NOT NULL;
                    """)
            // The old repeat rule now applies to the rows written outside the application only:
            // its index need not grow with the application's rows (each index is a page more
            // to write, and to sync, per feedback).
            try db.execute(
                sql: """
                    DROP INDEX review_db_repeats;
                    CREATE INDEX review_db_repeats ON review_db (\(repeatKeySQL("review")), sentiment) WHERE client IS NULL;
                    """)
            // What each client stored and what counted in each window (windows are numbered
            // from the epoch: `unixepoch / window length`), kept with the rows it counts in
            // the same transactions, so a budget costs one lookup however many rows a client
            // has sent.
            try db.execute(
                sql: """
                    CREATE TABLE feedback_budget (
                        client TEXT NOT NULL,
                        window INTEGER NOT NULL,
                        stored INTEGER NOT NULL,
                        counted INTEGER NOT NULL,
                        PRIMARY KEY (client, window)) WITHOUT ROWID
                    """)
        }
        return migrator
    }

    /// Characters kept in the repeat index from each end of a review. Reviews with the same
    /// ends are compared in full, so the length trades the index's size (an entry stays under
    /// about 80 bytes for a review of any length) against how many rows a lookup compares. Both
    /// ends, because reviews that differ only at one end are common (a signature, a number,
    /// "Edit:" added below), and sharing a 64-character prefix alone would make each lookup
    /// read every such row in full.
    static let repeatKeyLength = 32

    /// The indexed key of a review column: its first and its last `repeatKeyLength` characters.
    static func repeatKeySQL(_ column: String) -> String {
        "substr(\(column), 1, \(repeatKeyLength)), substr(\(column), -\(repeatKeyLength))"
    }

    /// For a row of `review_db AS r` written outside the application (no client: the book's
    /// scripts, the `sqlite3` shell), the id of the first earlier such row with the same review
    /// and label: an index range (`review_db_repeats`: the review's ends, the label, then the
    /// id), each candidate compared in full. Only built-in SQL functions, so those tools can
    /// still write the table (an index on an application-defined function would make their
    /// inserts fail). The application's own rows are judged when they are stored (`state`).
    static let repeatedIDSQL = """
        (CASE WHEN r.client IS NULL THEN (SELECT e.id FROM review_db e
            WHERE substr(e.review, 1, \(repeatKeyLength)) = substr(r.review, 1, \(repeatKeyLength))
            AND substr(e.review, -\(repeatKeyLength)) = substr(r.review, -\(repeatKeyLength))
            AND e.sentiment = r.sentiment AND e.id < r.id AND e.review = r.review AND e.client IS NULL
            ORDER BY e.id LIMIT 1) END)
        """

    /// The columns of `FeedbackRow`, in the order `feedbackRow(_:)` reads them.
    static let rowColumnsSQL = "r.id, r.review, r.sentiment, r.date, r.rejected, \(repeatedIDSQL), r.client, r.state"

    static func feedbackRow(_ row: Row) -> FeedbackRow {
        FeedbackRow(
            id: row[0], review: row[1], sentiment: row[2], date: row[3], rejected: row[4], repeatOf: row[5], client: row[6],
            state: FeedbackState(rawValue: row[7] ?? "") ?? .counts)
    }

    /// Inserts a visitor's row and returns it as every reader reads it, with the generation it
    /// was stored under, both from the INSERT itself (its RETURNING clause, under the write lock
    /// that stores it). Its review, label and client are the values bound, which SQLite stores
    /// as given; a row with a client has no `repeatOf` (`repeatedIDSQL`: the trust rules judge
    /// its repeats, in `state`).
    private static func insertReturningRow(
        _ feedback: NewFeedback, variant: String, state: FeedbackState, _ db: Database
    ) throws -> StoredFeedback {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO review_db (review, sentiment, date, client, variant, p_positive, state)
                    VALUES (?, ?, DATETIME('now'), ?, ?, ?, ?)
                    RETURNING id, date, rejected, state, (SELECT generation FROM feedback_generation)
                """)
        let stored = try readFirstRow(
            statement,
            arguments: [feedback.review, feedback.sentiment, feedback.client, variant, feedback.probabilityPositive, state.rawValue]
        ) { row in
            StoredFeedback(
                row: FeedbackRow(
                    id: row[0], review: feedback.review, sentiment: feedback.sentiment, date: row[1], rejected: row[2],
                    client: feedback.client, state: FeedbackState(rawValue: row[3] ?? "") ?? .counts),
                generation: row[4] ?? 0, countBefore: nil)
        }
        guard let stored else { throw DatabaseError(resultCode: .SQLITE_ERROR, message: "the INSERT of a feedback row returned no row") }
        return stored
    }

    /// What `read` makes of the first row `statement` gives (nil when it gives none), read in
    /// place: a cursor's row reads the statement while the cursor lives, where `Row.fetchOne`
    /// copies every column first.
    private static func readFirstRow<T>(_ statement: Statement, arguments: StatementArguments, _ read: (Row) throws -> T) throws -> T? {
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        return try withExtendedLifetime(cursor) { try cursor.next().map(read) }
    }

    /// Stores one feedback durably, in one transaction, and returns its id.
    @discardableResult
    public func insert(review: String, sentiment: Int) throws(FeedbackStoreError) -> Int64 {
        let id: Int64
        do {
            id = try durably { db in
                try db.cachedStatement(sql: "INSERT INTO review_db (review, sentiment, date) VALUES (?, ?, DATETIME('now'))")
                    .execute(arguments: [review, sentiment])
                return db.lastInsertedRowID
            }
        } catch {
            throw .failed(path: path, operation: "store the feedback", reason: "\(error)")
        }
        announceChange()
        return id
    }

    /// Stores a visitor's feedback durably with what the trust rules decide for it, or refuses
    /// it, in one transaction that holds the write lock from the first read: the decision sees
    /// every row before it and no other row can come between, so it is a function of the log.
    public func insert(_ feedback: NewFeedback, policy: TrustPolicy) throws(FeedbackStoreError) -> InsertOutcome {
        try insertDescribing(feedback, policy: policy).0
    }

    /// `insert(_:policy:)`, with the row as readers read it back and the generation, both read
    /// under the write lock that stored it, and the change counter as this store found it when
    /// it moved it for the row.
    public func insertDescribing(_ feedback: NewFeedback, policy: TrustPolicy) throws(FeedbackStoreError) -> (InsertOutcome, StoredFeedback?) {
        let variant = ReviewVariant.key(of: feedback.review)
        var stored: StoredFeedback?
        do {
            try durably { db in
                try db.inTransaction(.immediate) {
                    let state = policy.enabled ? try Self.decide(feedback, variant: variant, policy: policy, db) : .counts
                    guard let state else { return .rollback }
                    stored = try Self.insertReturningRow(feedback, variant: variant, state: state, db)
                    return .commit
                }
            }
        } catch {
            // A failure past the commit (the log's sync) may leave the row stored.
            announceChange()
            throw .failed(path: path, operation: "store the feedback", reason: "\(error)")
        }
        // A refusal rolled back: nothing for the other workers to look at.
        guard var stored else { return (.refused, nil) }
        stored.countBefore = changes?.bump()
        return (.stored(id: stored.row.id, state: stored.row.state), stored)
    }

    /// The trust rules' decision for a new row, from the rows before it (nil: refused), and
    /// its client's budget moved for it.
    private static func decide(_ feedback: NewFeedback, variant: String, policy: TrustPolicy, _ db: Database) throws -> FeedbackState? {
        let window = Int64(time(nil)) / Int64(policy.windowSeconds)
        let budget: (stored: Int, counted: Int)? = try readFirstRow(
            db.cachedStatement(sql: "SELECT stored, counted FROM feedback_budget WHERE client = ? AND window = ?"),
            arguments: [feedback.client, window]
        ) { ($0[0], $0[1]) }
        let repeats =
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM review_db WHERE variant = ? AND sentiment = ? AND client = ?)"),
                arguments: [variant, feedback.sentiment, feedback.client]) ?? false
        let contradicted = feedback.sentiment == 1 ? 1 - feedback.probabilityPositive : feedback.probabilityPositive
        // Only a correction of a confident verdict needs agreement, and only up to the number asked.
        let others =
            contradicted < policy.confidence
            ? 0
            : try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT COUNT(*) FROM (SELECT DISTINCT client FROM review_db
                            WHERE variant = ? AND sentiment = ? AND client IS NOT NULL AND client <> ? AND NOT rejected LIMIT ?)
                        """), arguments: [variant, feedback.sentiment, feedback.client, policy.agreement]) ?? 0
        let facts = TrustFacts(
            storedInWindow: budget?.stored ?? 0, countedInWindow: budget?.counted ?? 0, repeatsOwnVote: repeats,
            contradictedConfidence: contradicted, agreeingClients: others + 1)
        guard let state = policy.decide(facts) else { return nil }
        let counted = state == .counts ? 1 : 0
        if budget == nil {
            // The client's first row of this window: its earlier windows are over.
            try db.cachedStatement(sql: "DELETE FROM feedback_budget WHERE client = ?").execute(arguments: [feedback.client])
            try db.cachedStatement(sql: "INSERT INTO feedback_budget (client, window, stored, counted) VALUES (?, ?, 1, ?)")
                .execute(arguments: [feedback.client, window, counted])
        } else {
            try db.cachedStatement(sql: "UPDATE feedback_budget SET stored = stored + 1, counted = counted + ? WHERE client = ? AND window = ?")
                .execute(arguments: [counted, feedback.client, window])
        }
        return state
    }

    /// Calls `body` with each of at most `limit` rows after `id` up to `last`, in ascending id,
    /// as SQLite steps through them, all in one read transaction; returns how many there were.
    /// For a reader that hands rows on as they come rather than holding a whole batch.
    @discardableResult
    public func forEachRow(after id: Int64, through last: Int64, limit: Int, filter: FeedbackFilter, _ body: (FeedbackRow) -> Void)
        throws(FeedbackStoreError) -> Int
    {
        do {
            return try pool.read { db in try Self.forEachRow(after: id, through: last, limit: limit, filter: filter, db, body) }
        } catch {
            throw .failed(path: path, operation: "read the feedback", reason: "\(error)")
        }
    }

    /// The generation and the rows in one read transaction: the catch-up after every change
    /// (each feedback row) takes one read where two took twice the locking and the work.
    ///
    /// On the writer's connection rather than a reader's: each connection has its own page
    /// cache, which SQLite empties whenever another connection has committed, and the catch-up
    /// comes right after this worker's own commit (whose pages the writer still holds) or
    /// right before its next one (which reads the same pages again). One connection then reads
    /// each changed page once where two read it twice.
    public func news(after id: Int64, limit: Int) throws(FeedbackStoreError) -> (generation: Int64, rows: [FeedbackRow]) {
        do {
            return try pool.writeWithoutTransaction { db in
                var rows: [FeedbackRow] = []
                var generation: Int64 = 0
                try db.inTransaction(.deferred) {
                    generation = try Self.generation(db)
                    try Self.forEachRow(after: id, through: .max, limit: limit, filter: .all, db) { rows.append($0) }
                    return .commit
                }
                return (generation, rows)
            }
        } catch {
            throw .failed(path: path, operation: "read the feedback", reason: "\(error)")
        }
    }

    @discardableResult
    private static func forEachRow(
        after id: Int64, through last: Int64, limit: Int, filter: FeedbackFilter, _ db: Database, _ body: (FeedbackRow) -> Void
    ) throws -> Int {
        precondition(limit > 0, "a batch holds at least one row (SQLite reads a negative LIMIT as no limit)")
        var arguments: StatementArguments = [id, last]
        let condition: String
        switch filter {
        case .all: condition = ""
        case .rejected: condition = " AND r.rejected"
        case .notRejected: condition = " AND NOT r.rejected"
        case .held: condition = " AND NOT r.rejected AND r.state IN ('over-budget', 'needs-agreement')"
        case .client(let client):
            condition = " AND r.client = ?"
            arguments += [client]
        }
        arguments += [limit]
        let statement = try db.cachedStatement(
            sql: "SELECT \(rowColumnsSQL) FROM review_db r WHERE r.id > ? AND r.id <= ?\(condition) ORDER BY r.id LIMIT ?")
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        var count = 0
        while let row = try cursor.next() {
            body(feedbackRow(row))
            count += 1
        }
        return count
    }

    /// The ids of every row of `client`, in ascending order: what an admin accepts or rejects
    /// with `--client`.
    public func ids(ofClient client: String) throws(FeedbackStoreError) -> [Int64] {
        do {
            return try pool.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM review_db WHERE client = ? ORDER BY id", arguments: [client]) }
        } catch {
            throw .failed(path: path, operation: "read the feedback", reason: "\(error)")
        }
    }

    /// The busiest clients first, at most `limit`: how many rows each stored, how many count,
    /// how many are held, and its newest row's date.
    public func clients(limit: Int) throws(FeedbackStoreError) -> [ClientSummary] {
        do {
            return try pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT client, COUNT(*), SUM(state IN ('counts', 'accepted') AND NOT rejected),
                            SUM(state IN ('over-budget', 'needs-agreement') AND NOT rejected), SUM(rejected), MAX(date)
                            FROM review_db WHERE client IS NOT NULL GROUP BY client ORDER BY COUNT(*) DESC, client LIMIT ?
                        """, arguments: [limit]
                ).map { row in
                    ClientSummary(client: row[0], rows: row[1], counted: row[2], held: row[3], rejected: row[4], latest: row[5])
                }
            }
        } catch {
            throw .failed(path: path, operation: "read the feedback", reason: "\(error)")
        }
    }

    /// Counts every admin decision to reject or accept a row: a live model is built from the
    /// model file and the accepted rows, so when the count moves, a worker rebuilds. Read only
    /// after `hasChanged()` reports a commit, so it costs nothing per classification.
    public func generation() throws(FeedbackStoreError) -> Int64 {
        do {
            return try pool.read { db in try Self.generation(db) }
        } catch {
            throw .failed(path: path, operation: "read the feedback generation", reason: "\(error)")
        }
    }

    /// The newest id and the generation, read together: where an update stops, and the
    /// decisions it folds under.
    public func snapshot() throws(FeedbackStoreError) -> FeedbackSnapshot {
        do {
            return try pool.read { db in
                FeedbackSnapshot(
                    latestID: try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM review_db")) ?? 0,
                    generation: try Self.generation(db)
                )
            }
        } catch {
            throw .failed(path: path, operation: "read the feedback", reason: "\(error)")
        }
    }

    /// Marks rows rejected, or accepts them (a rejected row again, a held row at last), and, if
    /// any row changed, moves the generation in the same transaction, so that no worker sees
    /// the one without the other.
    public func setRejected(_ rejected: Bool, ids: [Int64]) throws(FeedbackStoreError) -> RejectionChange {
        defer { announceChange() }
        do {
            return try durably { db in
                var change = RejectionChange()
                try db.inTransaction(.immediate) {
                    for id in ids {
                        guard
                            let current = try Row.fetchOne(
                                db.cachedStatement(sql: "SELECT rejected, state FROM review_db WHERE id = ?"), arguments: [id])
                        else {
                            change.missing.append(id)
                            continue
                        }
                        let held = FeedbackState(rawValue: current["state"] ?? "")?.isHeld ?? false
                        if current["rejected"] == rejected && (rejected || !held) {
                            change.unchanged.append(id)
                        } else {
                            try db.cachedStatement(
                                sql: """
                                    UPDATE review_db SET rejected = ?,
                                        state = CASE WHEN NOT ? AND state IN ('over-budget', 'needs-agreement') THEN 'accepted' ELSE state END
                                        WHERE id = ?
                                    """
                            ).execute(arguments: [rejected, rejected, id])
                            change.changed.append(id)
                        }
                    }
                    if !change.changed.isEmpty {
                        try db.execute(sql: "UPDATE feedback_generation SET generation = generation + 1")
                    }
                    return .commit
                }
                return change
            }
        } catch {
            throw .failed(path: path, operation: rejected ? "reject the feedback" : "accept the feedback", reason: "\(error)")
        }
    }

    /// Runs `body` holding the database's write lock, with the current generation: no row can
    /// be stored, rejected or accepted meanwhile. The update tool replaces the model file in
    /// it, so that an admin's decision lands either before the update (which then sees it) or
    /// after the new file is in place. Feedback from the workers waits (up to the busy timeout).
    public func holdingWriteLock<T>(_ body: (_ generation: Int64) -> T) throws(FeedbackStoreError) -> T {
        // After the lock is let go: what `body` replaced is then in place.
        defer { announceChange() }
        do {
            return try durably { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    // Every row `body` can read is on disk first: a model file it writes must
                    // never hold a row that a power loss could take out of the log (its writer
                    // committed but had not yet synced).
                    try db.syncLog()
                    result = body(try Self.generation(db))
                    return .commit
                }
                return result!
            }
        } catch {
            throw .failed(path: path, operation: "lock the feedback", reason: "\(error)")
        }
    }

    /// Runs `body` on the writer connection, then, if it committed any change, syncs the log
    /// (see `Database.syncLog`): what `body` committed is on disk when this returns, while the
    /// write lock was let go at the commit, before the sync. With `defersLogSync`, the sync is
    /// the caller's (`takeUnsyncedCommit()`).
    private func durably<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            let changes = db.totalChangesCount
            let result = try body(db)
            if db.totalChangesCount != changes {
                if defersLogSync { hasUnsyncedCommit = true } else { try db.syncLog() }
            }
            return result
        }
    }

    /// Whether a write since the last call committed without syncing the log (only with
    /// `defersLogSync`): its caller must not acknowledge it before a `LogFileSync.sync()` that
    /// began after this call.
    public func takeUnsyncedCommit() -> Bool {
        defer { hasUnsyncedCommit = false }
        return hasUnsyncedCommit
    }

    static func generation(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT generation FROM feedback_generation")) ?? 0
    }

    /// Whether anything was committed to the database, by this store or by any other
    /// connection or process, since the previous call (or, for the first call, since the
    /// store was opened).
    ///
    /// Workers call it before every classification, so it costs one pragma on a connection
    /// kept for it (`ChangeWatch`) and no table access: `PRAGMA data_version` of a connection
    /// changes whenever another connection commits, and that connection never writes. A `true`
    /// can be spurious (an unrelated commit); a commit is never missed.
    public func hasChanged() throws(FeedbackStoreError) -> Bool {
        let version = try dataVersion()
        let changed = version != seenDataVersion
        seenDataVersion = version
        return changed
    }

    private func dataVersion() throws(FeedbackStoreError) -> Int64 {
        try changeWatch.dataVersion()
    }

    /// Opens the pool, waiting out the one conflict the busy timeout does not cover: turning a
    /// new file into a WAL database needs an exclusive lock, and when several connections try
    /// at once SQLite refuses all but one at once (SQLITE_BUSY) instead of letting them wait
    /// for each other. The workers of a first start, creating the file together, do just that.
    private static func open(path: String, configuration: Configuration, connections: Connections) throws -> any DatabaseWriter {
        let deadline = ContinuousClock.now + .seconds(busyTimeoutSeconds)
        while true {
            do {
                switch connections {
                case .pool:
                    return try DatabasePool(path: path, configuration: configuration)
                case .single:
                    // WAL is a property of the file, so only a new database needs it set. GRDB's
                    // own `.wal` setting would also look at the log through Foundation's file
                    // attributes (user and group lookups included) at every open, which was a
                    // tenth of a plain CGI request.
                    let queue = try DatabaseQueue(path: path, configuration: configuration)
                    try queue.writeWithoutTransaction { db in
                        if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                            try db.execute(sql: "PRAGMA journal_mode = WAL")
                        }
                    }
                    return queue
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline {
                usleep(10_000)
            }
        }
    }

    /// Brings the schema up to this build's version, or refuses a newer one.
    private static func migrate(_ pool: any DatabaseWriter, path: String) throws {
        let migrator = Self.migrator
        let applied = try pool.read { try migrator.appliedIdentifiers($0) }
        let unknown = applied.subtracting(migrator.migrations)
        guard unknown.isEmpty else { throw FeedbackStoreError.newerSchema(path: path, unknownMigrations: unknown.sorted()) }
        // Migrating takes the write lock, even with nothing to do: a store opened on a current
        // schema does not wait for a writer (an update replacing the model holds the lock).
        if applied.isSuperset(of: migrator.migrations) { return }
        // Every worker opens the database when the pool starts. GRDB decides which
        // migrations to run before it takes the write lock, so on a new file all workers but
        // one fail to record a migration (their transaction rolls back). They try again,
        // which skips what the winner has recorded, until the schema is complete.
        let deadline = ContinuousClock.now + .seconds(busyTimeoutSeconds)
        while true {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                if try pool.read({ try migrator.hasCompletedMigrations($0) }) { return }
                guard ContinuousClock.now < deadline else { throw error }
                usleep(10_000)
            }
        }
    }

    /// A missing or read-only folder is refused up front: SQLite reports either as "unable to
    /// open database file", which does not tell the operator what to fix.
    private static func checkFolder(of path: String) throws(FeedbackStoreError) {
        let folder = AtomicFile.folder(of: path)
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
