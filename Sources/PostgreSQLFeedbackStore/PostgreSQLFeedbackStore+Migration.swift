import FeedbackStore
import PostgreSQLClient

extension PostgreSQLFeedbackStore {
    /// Rows per INSERT: nine parameters each, far under PostgreSQL's 65,535 a statement.
    public static let migrationBatchSize = 1_000

    /// Copies an SQLite log into this new database, in one transaction (interrupted, it leaves
    /// nothing): every row with its id, date, client, state and rejection, the budgets, the
    /// generation, and `model` as the first model version. The ids are kept, the sequence set
    /// past the last, so a live model here applies the same rows in the same order as there
    /// and holds the same weights, bit for bit. Refuses a database that holds feedback or a
    /// model already: two logs cannot be merged without giving ids again.
    public func migrate(from source: FeedbackStore, model: ModelPublication) throws(FeedbackStoreError) -> MigrationReport {
        try transaction("copy the feedback log from \(source.path)") { connection in
            try Self.lockLog(connection)
            let held = try connection.execute(
                "SELECT (SELECT count(*) FROM review_db) + (SELECT count(*) FROM model_version) + (SELECT count(*) FROM feedback_budget)"
            ).int64(0, 0)
            guard held == 0 else {
                throw FeedbackStoreError.failed(
                    path: target, operation: "copy the feedback log from \(source.path)",
                    reason:
                        "this database already holds feedback or a model. Migrate into a new, empty database: two logs cannot be merged without giving their rows new ids, which would change what every model learned."
                )
            }
            var report = MigrationReport()
            let (budgets, generation) = try source.export(batchSize: Self.migrationBatchSize) { rows in
                try Self.insert(rows, connection)
                report.rows += rows.count
                report.latestID = rows.last?.id ?? report.latestID
                report.rejected += rows.count { $0.rejected }
                report.held += rows.count { !$0.rejected && (FeedbackState(rawValue: $0.state)?.isHeld ?? false) }
            }
            if report.latestID > 0 {
                try connection.execute("SELECT setval(pg_get_serial_sequence('review_db', 'id'), $1::bigint)", [String(report.latestID)])
            }
            for start in stride(from: 0, to: budgets.count, by: Self.migrationBatchSize) {
                try Self.insert(budgets[start..<min(start + Self.migrationBatchSize, budgets.count)], connection)
            }
            report.budgets = budgets.count
            try connection.execute("UPDATE feedback_generation SET generation = $1::bigint", [String(generation)])
            report.generation = generation
            report.model = try Self.insertVersion(model, connection)
            try connection.execute("SELECT pg_notify($1, 'migration')", [Self.channel])
            return report
        }
    }

    private static func insert(_ rows: [LogRecord], _ connection: PostgreSQLConnection) throws {
        var values: [String] = []
        var parameters: [String?] = []
        for row in rows {
            let first = parameters.count + 1
            values.append(
                "($\(first), $\(first + 1)::integer, $\(first + 2), $\(first + 3)::bigint, $\(first + 4)::boolean, $\(first + 5), $\(first + 6), $\(first + 7)::double precision, $\(first + 8))"
            )
            parameters += [
                row.review, String(row.sentiment), row.date, String(row.id), row.rejected ? "true" : "false", row.client, row.variant,
                row.probabilityPositive.map { "\($0)" }, row.state,
            ]
        }
        // OVERRIDING SYSTEM VALUE: the ids are the source's, which only a migration may give.
        try connection.execute(
            "INSERT INTO review_db (review, sentiment, date, id, rejected, client, variant, p_positive, state) OVERRIDING SYSTEM VALUE VALUES "
                + values.joined(separator: ", "), parameters)
    }

    private static func insert(_ budgets: ArraySlice<BudgetRecord>, _ connection: PostgreSQLConnection) throws {
        var values: [String] = []
        var parameters: [String?] = []
        for budget in budgets {
            let first = parameters.count + 1
            values.append("($\(first), $\(first + 1)::bigint, $\(first + 2)::integer, $\(first + 3)::integer)")
            parameters += [budget.client, String(budget.window), String(budget.stored), String(budget.counted)]
        }
        try connection.execute(
            "INSERT INTO feedback_budget (client, \"window\", stored, counted) VALUES " + values.joined(separator: ", "), parameters)
    }
}
