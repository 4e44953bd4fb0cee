import GRDB

extension FeedbackStore {
    /// Reads the whole log in one snapshot, for a migration to another engine: every row with
    /// every column, in ascending id, `batchSize` at a time to `body` (memory stays bounded
    /// however long the log), then the budgets and the generation as they stood with them.
    /// Writers may go on meanwhile; what they store is not in this snapshot.
    public func export(batchSize: Int = 1_000, rows body: ([LogRecord]) throws -> Void) throws -> (budgets: [BudgetRecord], generation: Int64) {
        precondition(batchSize > 0)
        do {
            return try pool.read { db in
                let cursor = try Row.fetchCursor(
                    db, sql: "SELECT review, sentiment, date, id, rejected, client, variant, p_positive, state FROM review_db ORDER BY id")
                var batch: [LogRecord] = []
                batch.reserveCapacity(batchSize)
                while let row = try cursor.next() {
                    batch.append(
                        LogRecord(
                            review: row[0] ?? "", sentiment: row[1] ?? 0, date: row[2] ?? "", id: row[3], rejected: row[4] ?? false, client: row[5],
                            variant: row[6], probabilityPositive: row[7], state: row[8] ?? FeedbackState.counts.rawValue))
                    if batch.count == batchSize {
                        try body(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try body(batch) }
                let budgets = try Row.fetchAll(db, sql: "SELECT client, window, stored, counted FROM feedback_budget ORDER BY client, window").map {
                    BudgetRecord(client: $0[0], window: $0[1], stored: $0[2], counted: $0[3])
                }
                return (budgets, try Self.generation(db))
            }
        } catch let error as DatabaseError {
            throw FeedbackStoreError.failed(path: path, operation: "read the feedback for the migration", reason: "\(error)")
        }
    }
}
