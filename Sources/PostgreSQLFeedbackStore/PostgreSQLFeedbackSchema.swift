import FeedbackStore
import PostgreSQLClient

/// The log's tables in PostgreSQL and their history, as the SQLite store's migrator keeps
/// it: `feedback_schema` records each version applied, and a store refuses a database that
/// records one it does not know.
enum PostgreSQLFeedbackSchema {
    /// One step of the schema's history: statements run in one transaction with its record.
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
    }

    /// Characters kept in the repeat index from each end of a review, as in the SQLite store:
    /// reviews with the same ends are compared in full, so the length only trades the index's
    /// size against how many rows a lookup compares.
    static let repeatKeyLength = 32

    /// The history; each build knows a prefix of it.
    ///
    /// v1 is the SQLite store's schema at its v3: the book's three columns first (its scripts
    /// read `SELECT *` by position), then ours. The id is an identity column that only the
    /// sequence fills (ALWAYS: an id typed by hand could land below a reader's watermark),
    /// with no cache (a cache hands each session a range, out of order across sessions), and
    /// never reused. The dates are UTC `YYYY-MM-DD HH:MM:SS`, as SQLite's `DATETIME('now')`
    /// writes them, drawn when the row is written (after any wait for the log's lock).
    static let migrations = [
        Migration(
            version: 1, name: "v1: review_db, budgets, generation",
            statements: [
                """
                CREATE TABLE review_db (
                    review text NOT NULL,
                    sentiment integer NOT NULL,
                    date text NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                    id bigint GENERATED ALWAYS AS IDENTITY (CACHE 1) PRIMARY KEY,
                    rejected boolean NOT NULL DEFAULT false,
                    client text,
                    variant text,
                    p_positive double precision,
                    state text NOT NULL DEFAULT 'counts')
                """,
                // The trust rules' lookups: the client's own votes on a text, and the distinct
                // clients agreeing on it.
                "CREATE INDEX review_db_variant ON review_db (variant, sentiment, client) WHERE variant IS NOT NULL",
                // The repeat rule of rows written outside the application (`repeatedIDSQL`).
                """
                CREATE INDEX review_db_repeats ON review_db (left(review, \(repeatKeyLength)), right(review, \(repeatKeyLength)), sentiment, id)
                    WHERE client IS NULL
                """,
                // A writer outside the application (`psql`, the book's scripts) does not know
                // the log's lock: this trigger takes it for every INSERT before its ids are
                // drawn (a statement trigger fires before any row is made), so those rows too
                // become visible in id order. The application's writers hold it already (an
                // advisory lock can be taken again by its holder).
                """
                CREATE FUNCTION review_db_take_log_lock() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(\(PostgreSQLFeedbackStore.logLockKey));
                    RETURN NULL;
                END
                $$
                """,
                "CREATE TRIGGER review_db_log_lock BEFORE INSERT ON review_db FOR EACH STATEMENT EXECUTE FUNCTION review_db_take_log_lock()",
                // What each client stored and what counted in each window, kept in the
                // transactions that store its rows, so that a budget costs one lookup.
                """
                CREATE TABLE feedback_budget (
                    client text NOT NULL,
                    "window" bigint NOT NULL,
                    stored integer NOT NULL,
                    counted integer NOT NULL,
                    PRIMARY KEY (client, "window"))
                """,
                "CREATE TABLE feedback_generation (generation bigint NOT NULL)",
                "INSERT INTO feedback_generation (generation) VALUES (0)",
            ]),
        // The model every host serves (`SharedModelLog`): each version a model file's bytes,
        // the newest being the model, the earlier ones its backups.
        Migration(
            version: 2, name: "v2: model_version",
            statements: [
                """
                CREATE TABLE model_version (
                    id bigint GENERATED ALWAYS AS IDENTITY (CACHE 1) PRIMARY KEY,
                    model bytea NOT NULL,
                    checksum bigint NOT NULL,
                    watermark bigint NOT NULL,
                    created text NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                    created_by text NOT NULL,
                    origin text NOT NULL)
                """
            ]),
    ]

    /// Brings the schema up to this build's version, or refuses a newer one, in one
    /// transaction under the schema's advisory lock: stores starting together on a new
    /// database wait for the first, then find its work done.
    static func migrate(_ connection: PostgreSQLConnection, target: String) throws {
        try connection.transaction { () throws in
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [String(PostgreSQLFeedbackStore.schemaLockKey)])
            // Looked up rather than CREATE … IF NOT EXISTS, whose notice libpq would print at
            // every start.
            if try !connection.execute("SELECT to_regclass('feedback_schema') IS NOT NULL").bool(0, 0) {
                try connection.execute("CREATE TABLE feedback_schema (version integer PRIMARY KEY, name text NOT NULL, applied text NOT NULL)")
            }
            let recorded = try connection.execute("SELECT version, name FROM feedback_schema ORDER BY version")
            var applied: Set<Int> = []
            var unknown: [String] = []
            for row in 0..<recorded.rowCount {
                let version = Int(try recorded.int64(row, 0))
                applied.insert(version)
                if !migrations.contains(where: { $0.version == version }) { unknown.append(recorded[row, 1] ?? "v\(version)") }
            }
            guard unknown.isEmpty else { throw FeedbackStoreError.newerSchema(path: target, unknownMigrations: unknown) }
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements { try connection.execute(statement) }
                try connection.execute(
                    "INSERT INTO feedback_schema (version, name, applied) VALUES ($1, $2, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))",
                    [String(migration.version), migration.name])
            }
        }
    }

    /// For a row of `review_db AS r` written outside the application (no client), the id of
    /// the first earlier such row with the same review and label, as the SQLite store's rule
    /// computes it: an index range on the review's ends (`review_db_repeats`), each candidate
    /// compared in full. The application's own rows are judged when they are stored (`state`).
    static let repeatedIDSQL = """
        (CASE WHEN r.client IS NULL THEN (SELECT e.id FROM review_db e
            WHERE left(e.review, \(repeatKeyLength)) = left(r.review, \(repeatKeyLength))
            AND right(e.review, \(repeatKeyLength)) = right(r.review, \(repeatKeyLength))
            AND e.sentiment = r.sentiment AND e.id < r.id AND e.review = r.review AND e.client IS NULL
            ORDER BY e.id LIMIT 1) END)
        """

    /// The columns of `FeedbackRow`, in the order `feedbackRow(_:_:)` reads them.
    static let rowColumnsSQL = "r.id, r.review, r.sentiment, r.date, r.rejected, \(repeatedIDSQL) AS repeat_of, r.client, r.state"

    static func feedbackRow(_ result: PostgreSQLResult, _ row: Int) throws(PostgreSQLError) -> FeedbackRow {
        FeedbackRow(
            id: try result.int64(row, 0), review: result[row, 1] ?? "", sentiment: Int(try result.int64(row, 2)), date: result[row, 3] ?? "",
            rejected: try result.bool(row, 4), repeatOf: result[row, 5] == nil ? nil : try result.int64(row, 5),
            client: result[row, 6], state: FeedbackState(rawValue: result[row, 7] ?? "") ?? .counts)
    }
}
