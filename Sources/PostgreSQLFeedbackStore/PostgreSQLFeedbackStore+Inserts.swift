import FeedbackStore
import PostgreSQLClient

extension PostgreSQLFeedbackStore {
    /// Stores one feedback durably (the server's `synchronous_commit` left on: the row is in
    /// its write-ahead log on disk before this returns), in one transaction, and returns its id.
    @discardableResult
    public func insert(review: String, sentiment: Int) throws(FeedbackStoreError) -> Int64 {
        try transaction("store the feedback") { connection in
            try Self.lockLog(connection)
            return try Self.insertRow(
                connection, columns: "review, sentiment", values: [review, String(sentiment)])
        }
    }

    /// Stores a visitor's feedback durably with what the trust rules decide for it, or refuses
    /// it, in one transaction that takes the log's lock before its first read: the decision
    /// sees every row before it and no other row can come between, so it is a function of the
    /// log, whichever host makes it.
    public func insert(_ feedback: NewFeedback, policy: TrustPolicy) throws(FeedbackStoreError) -> InsertOutcome {
        let variant = ReviewVariant.key(of: feedback.review)
        return try transaction("store the feedback") { connection in
            try Self.lockLog(connection)
            let state = policy.enabled ? try Self.decide(feedback, variant: variant, policy: policy, connection) : .counts
            // Refused: COMMIT then writes nothing, the budget included, as SQLite's rollback.
            guard let state else { return InsertOutcome.refused }
            let id = try Self.insertRow(
                connection, columns: "review, sentiment, client, variant, p_positive, state",
                values: [
                    feedback.review, String(feedback.sentiment), feedback.client, variant, String(feedback.probabilityPositive), state.rawValue,
                ])
            return .stored(id: id, state: state)
        }
    }

    /// Takes the log's lock for the rest of the transaction.
    static func lockLog(_ connection: PostgreSQLConnection) throws(PostgreSQLError) {
        try connection.execute("SELECT pg_advisory_xact_lock($1)", [String(logLockKey)])
    }

    /// INSERTs one row and NOTIFYs its id in the same statement (delivered at COMMIT).
    private static func insertRow(_ connection: PostgreSQLConnection, columns: String, values: [String]) throws(PostgreSQLError) -> Int64 {
        let placeholders = (1...values.count).map { "$\($0)" }.joined(separator: ", ")
        return try connection.execute(
            """
            WITH stored AS (INSERT INTO review_db (\(columns)) VALUES (\(placeholders)) RETURNING id)
                SELECT id, pg_notify('\(channel)', id::text) FROM stored
            """, values
        ).int64(0, 0)
    }

    /// The trust rules' decision for a new row, from the rows before it (nil: refused), and
    /// its client's budget moved for it: the facts the SQLite store reads, read in one
    /// statement after the lock, and `TrustPolicy.decide` on them.
    ///
    /// The window is counted on the server's clock, not this host's: the hosts' clocks may
    /// differ, and a client's budget must not depend on which host its request reached.
    private static func decide(_ feedback: NewFeedback, variant: String, policy: TrustPolicy, _ connection: PostgreSQLConnection) throws
        -> FeedbackState?
    {
        let contradicted = feedback.sentiment == 1 ? 1 - feedback.probabilityPositive : feedback.probabilityPositive
        // Only a correction of a confident verdict needs agreement, and only up to the number asked.
        let askAgreement = contradicted >= policy.confidence
        let facts = try connection.execute(
            """
            WITH w AS (SELECT floor(extract(epoch FROM clock_timestamp()))::bigint / $1::bigint AS n)
            SELECT w.n,
                (SELECT b.stored FROM feedback_budget b WHERE b.client = $2 AND b."window" = w.n),
                (SELECT b.counted FROM feedback_budget b WHERE b.client = $2 AND b."window" = w.n),
                EXISTS (SELECT 1 FROM review_db WHERE variant = $3 AND sentiment = $4::integer AND client = $2),
                CASE WHEN $5::boolean THEN (SELECT count(*) FROM (SELECT DISTINCT client FROM review_db
                    WHERE variant = $3 AND sentiment = $4::integer AND client IS NOT NULL AND client <> $2 AND NOT rejected
                    LIMIT $6::bigint) d) ELSE 0 END
            FROM w
            """,
            [
                String(policy.windowSeconds), feedback.client, variant, String(feedback.sentiment), askAgreement ? "true" : "false",
                String(policy.agreement),
            ])
        let window = try facts.int64(0, 0)
        let hasBudget = facts[0, 1] != nil
        let state = policy.decide(
            TrustFacts(
                storedInWindow: hasBudget ? Int(try facts.int64(0, 1)) : 0, countedInWindow: hasBudget ? Int(try facts.int64(0, 2)) : 0,
                repeatsOwnVote: try facts.bool(0, 3), contradictedConfidence: contradicted, agreeingClients: Int(try facts.int64(0, 4)) + 1))
        guard let state else { return nil }
        let counted = state == .counts ? "1" : "0"
        if hasBudget {
            try connection.execute(
                "UPDATE feedback_budget SET stored = stored + 1, counted = counted + $1::integer WHERE client = $2 AND \"window\" = $3::bigint",
                [counted, feedback.client, String(window)])
        } else {
            // The client's first row of this window: its earlier windows are over.
            try connection.execute("DELETE FROM feedback_budget WHERE client = $1", [feedback.client])
            try connection.execute(
                "INSERT INTO feedback_budget (client, \"window\", stored, counted) VALUES ($1, $2::bigint, 1, $3::integer)",
                [feedback.client, String(window), counted])
        }
        return state
    }
}
