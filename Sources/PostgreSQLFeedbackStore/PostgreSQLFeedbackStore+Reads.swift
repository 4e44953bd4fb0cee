import FeedbackStore
import PostgreSQLClient

extension PostgreSQLFeedbackStore {
    /// At most `limit` rows with an id above `id` and at most `last` that `filter` keeps, in
    /// ascending id, in one statement (what `forEachRow` reads).
    public func rows(after id: Int64, through last: Int64 = .max, limit: Int, filter: FeedbackFilter = .all) throws(FeedbackStoreError)
        -> [FeedbackRow]
    {
        precondition(limit > 0, "a batch holds at least one row")
        var parameters = [String(id), String(last), String(limit)]
        let condition: String
        switch filter {
        case .all: condition = ""
        case .rejected: condition = " AND r.rejected"
        case .notRejected: condition = " AND NOT r.rejected"
        case .held: condition = " AND NOT r.rejected AND r.state IN ('over-budget', 'needs-agreement')"
        case .client(let client):
            condition = " AND r.client = $4"
            parameters.append(client)
        }
        return try run("read the feedback") { connection in
            let result = try connection.execute(
                """
                SELECT \(PostgreSQLFeedbackSchema.rowColumnsSQL) FROM review_db r
                    WHERE r.id > $1::bigint AND r.id <= $2::bigint\(condition) ORDER BY r.id LIMIT $3::bigint
                """, parameters)
            return try (0..<result.rowCount).map { row throws(PostgreSQLError) in try PostgreSQLFeedbackSchema.feedbackRow(result, row) }
        }
    }

    /// Calls `body` with each of at most `limit` rows after `id` up to `last`, in ascending id;
    /// returns how many there were. The rows are read in one statement (libpq hands over a
    /// result whole), so `limit` bounds the memory as it bounds a batch of `rows`.
    @discardableResult
    public func forEachRow(after id: Int64, through last: Int64 = .max, limit: Int, filter: FeedbackFilter = .all, _ body: (FeedbackRow) -> Void)
        throws(FeedbackStoreError) -> Int
    {
        let rows = try rows(after: id, through: last, limit: limit, filter: filter)
        rows.forEach(body)
        return rows.count
    }

    /// The ids of every row of `client`, in ascending order: what an admin accepts or rejects
    /// with `--client`.
    public func ids(ofClient client: String) throws(FeedbackStoreError) -> [Int64] {
        try run("read the feedback") { connection in
            let result = try connection.execute("SELECT id FROM review_db WHERE client = $1 ORDER BY id", [client])
            return try (0..<result.rowCount).map { row throws(PostgreSQLError) in try result.int64(row, 0) }
        }
    }

    /// The busiest clients first, at most `limit`: how many rows each stored, how many count,
    /// how many are held, and its newest row's date. Ties are ordered bytewise (`COLLATE "C"`),
    /// as SQLite orders them, whatever the database's collation.
    public func clients(limit: Int) throws(FeedbackStoreError) -> [ClientSummary] {
        try run("read the feedback") { connection in
            let result = try connection.execute(
                """
                SELECT client, count(*), count(*) FILTER (WHERE state IN ('counts', 'accepted') AND NOT rejected),
                    count(*) FILTER (WHERE state IN ('over-budget', 'needs-agreement') AND NOT rejected), count(*) FILTER (WHERE rejected),
                    max(date) FROM review_db WHERE client IS NOT NULL GROUP BY client ORDER BY count(*) DESC, client COLLATE "C" LIMIT $1::bigint
                """, [String(limit)])
            return try (0..<result.rowCount).map { row throws(PostgreSQLError) in
                ClientSummary(
                    client: result[row, 0] ?? "", rows: Int(try result.int64(row, 1)), counted: Int(try result.int64(row, 2)),
                    held: Int(try result.int64(row, 3)), rejected: Int(try result.int64(row, 4)), latest: result[row, 5] ?? "")
            }
        }
    }

    /// Counts every admin decision to reject or accept a row: a live model is built from the
    /// model file and the accepted rows, so when the count moves, a worker rebuilds.
    public func generation() throws(FeedbackStoreError) -> Int64 {
        try run("read the feedback generation") { connection in
            try connection.execute("SELECT generation FROM feedback_generation").int64(0, 0)
        }
    }

    /// The newest id and the generation, read in one statement (one snapshot): where an
    /// update stops, and the decisions it folds under.
    public func snapshot() throws(FeedbackStoreError) -> FeedbackSnapshot {
        try run("read the feedback") { connection in
            let result = try connection.execute(
                "SELECT (SELECT coalesce(max(id), 0) FROM review_db), (SELECT generation FROM feedback_generation)")
            return FeedbackSnapshot(latestID: try result.int64(0, 0), generation: try result.int64(0, 1))
        }
    }

    /// The id of the newest row, 0 when there is none: one lookup at the end of the id index.
    public func latestID() throws(FeedbackStoreError) -> Int64 {
        try run("read the feedback") { connection in
            try connection.execute("SELECT coalesce(max(id), 0) FROM review_db").int64(0, 0)
        }
    }
}
