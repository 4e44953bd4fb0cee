import GRDB

extension FeedbackStore {
    /// The metrics page's feedback figures, read in one transaction: the confusion table, the
    /// held rows and the end of the id index.
    public func tally() throws(FeedbackStoreError) -> FeedbackTally {
        do {
            return try pool.read { db in
                var tally = FeedbackTally()
                tally.confusion = try Self.confusion(db)
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
