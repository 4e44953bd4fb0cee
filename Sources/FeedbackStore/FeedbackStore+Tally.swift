import GRDB

extension FeedbackStore {
    /// The metrics page's feedback figures, read in one transaction: one pass over the table
    /// by the variant index's columns and the end of the id index.
    public func tally() throws(FeedbackStoreError) -> FeedbackTally {
        do {
            return try pool.read { db in
                var tally = FeedbackTally()
                for row in try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT p_positive > 0.5, sentiment = 1, COUNT(*) FROM review_db
                                WHERE p_positive IS NOT NULL AND NOT rejected GROUP BY 1, 2
                            """))
                {
                    let (predicted, truth, count): (Bool, Bool, Int64) = (row[0], row[1], row[2])
                    tally.confusion[predicted ? 1 : 0][truth ? 1 : 0] = count
                }
                tally.heldRows =
                    try Int64.fetchOne(
                        db.cachedStatement(sql: "SELECT COUNT(*) FROM review_db WHERE state IN ('over-budget', 'needs-agreement') AND NOT rejected"))
                    ?? 0
                tally.latestID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM review_db")) ?? 0
                return tally
            }
        } catch {
            throw .failed(path: path, operation: "count the feedback", reason: "\(error)")
        }
    }
}
