import FeedbackStore
import PostgreSQLClient

extension PostgreSQLFeedbackStore {
    /// Marks rows rejected, or accepts them (a rejected row again, a held row at last), and, if
    /// any row changed, moves the generation in the same transaction, so that no worker sees
    /// the one without the other. It takes the log's lock, as an insert does: the trust rules'
    /// agreement counts rows not rejected, so a decision must not fall inside an insert's reads.
    public func setRejected(_ rejected: Bool, ids: [Int64]) throws(FeedbackStoreError) -> RejectionChange {
        try transaction(rejected ? "reject the feedback" : "accept the feedback") { connection in
            try Self.lockLog(connection)
            let current = try connection.execute("SELECT id, rejected, state FROM review_db WHERE id = ANY($1::bigint[])", [Self.array(ids)])
            var found: [Int64: (rejected: Bool, held: Bool)] = [:]
            for row in 0..<current.rowCount {
                found[try current.int64(row, 0)] = (try current.bool(row, 1), FeedbackState(rawValue: current[row, 2] ?? "")?.isHeld ?? false)
            }
            var change = RejectionChange()
            for id in ids {
                guard let row = found[id] else {
                    change.missing.append(id)
                    continue
                }
                if row.rejected == rejected && (rejected || !row.held) {
                    change.unchanged.append(id)
                } else {
                    change.changed.append(id)
                    // As the UPDATE leaves it: an id given twice is unchanged the second time.
                    found[id] = (rejected, false)
                }
            }
            guard !change.changed.isEmpty else { return change }
            try connection.execute(
                """
                UPDATE review_db SET rejected = $1::boolean,
                    state = CASE WHEN NOT $1::boolean AND state IN ('over-budget', 'needs-agreement') THEN 'accepted' ELSE state END
                    WHERE id = ANY($2::bigint[])
                """, [rejected ? "true" : "false", Self.array(change.changed)])
            try connection.execute("UPDATE feedback_generation SET generation = generation + 1")
            try connection.execute("SELECT pg_notify($1, 'generation')", [Self.channel])
            return change
        }
    }

    /// Runs `body` holding the log's lock, with the current generation: no row can be stored,
    /// rejected or accepted meanwhile, on any host. The update tool replaces the model file in
    /// it, so that an admin's decision lands either before the update (which then sees it) or
    /// after the new file is in place. Feedback from the workers waits, up to their statement
    /// timeout. It NOTIFYs at the end, so that the workers look at the model file again.
    public func holdingWriteLock<T>(_ body: (_ generation: Int64) -> T) throws(FeedbackStoreError) -> T {
        try transaction("lock the feedback") { connection in
            try Self.lockLog(connection)
            let generation = try connection.execute("SELECT generation FROM feedback_generation").int64(0, 0)
            let result = body(generation)
            try connection.execute("SELECT pg_notify($1, 'lock')", [Self.channel])
            return result
        }
    }

    /// `ids` as a PostgreSQL array literal, for one `= ANY($n::bigint[])` parameter.
    private static func array(_ ids: [Int64]) -> String {
        "{" + ids.map(String.init).joined(separator: ",") + "}"
    }
}
