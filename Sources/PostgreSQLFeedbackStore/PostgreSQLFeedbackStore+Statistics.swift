import FeedbackStore
import PostgreSQLClient

extension PostgreSQLFeedbackStore {
    /// Counts the log for the admin page, in one read-only snapshot (REPEATABLE READ), so that
    /// the numbers agree with each other: the newest `days` UTC days, the predictions in at most
    /// `maximumBlocks` blocks of a round size (`FeedbackStore.blockSizes`, the same as the
    /// SQLite store's), the confusion table, the label balance and the rows by state.
    public func statistics(days: Int, maximumBlocks: Int) throws(FeedbackStoreError) -> FeedbackStatistics {
        precondition(days > 0 && maximumBlocks > 0, "the page shows at least one day and one block")
        let confirmedSQL = "((p_positive > 0.5) = (sentiment = 1))"
        return try snapshotRead("count the feedback") { connection in
            var statistics = FeedbackStatistics()
            let dayRows = try connection.execute(
                """
                SELECT substr(date, 1, 10) AS day, count(*), count(*) FILTER (WHERE state IN ('counts', 'accepted') AND NOT rejected),
                    count(*) FILTER (WHERE state IN ('over-budget', 'needs-agreement') AND NOT rejected), count(*) FILTER (WHERE rejected),
                    count(*) FILTER (WHERE p_positive IS NOT NULL AND NOT rejected),
                    count(*) FILTER (WHERE p_positive IS NOT NULL AND NOT rejected AND \(confirmedSQL))
                    FROM review_db GROUP BY day ORDER BY substr(date, 1, 10) COLLATE "C" DESC LIMIT $1::bigint
                """, [String(days)])
            statistics.days = try (0..<dayRows.rowCount).reversed().map { row throws(PostgreSQLError) in
                FeedbackStatistics.Day(
                    day: dayRows[row, 0] ?? "", rows: Int(try dayRows.int64(row, 1)), counted: Int(try dayRows.int64(row, 2)),
                    held: Int(try dayRows.int64(row, 3)), rejected: Int(try dayRows.int64(row, 4)), predictions: Int(try dayRows.int64(row, 5)),
                    confirmed: Int(try dayRows.int64(row, 6)))
            }
            statistics.confusion = try Self.confusion(try connection.execute(Self.confusionSQL))
            let c = statistics.confusion
            let predictions =
                c.predictedNegativeTruthNegative + c.predictedNegativeTruthPositive + c.predictedPositiveTruthNegative
                + c.predictedPositiveTruthPositive
            let size = FeedbackStore.blockSizes.first { (predictions + $0 - 1) / $0 <= maximumBlocks } ?? FeedbackStore.blockSizes.last!
            statistics.rowsPerBlock = size
            let blocks = try connection.execute(
                """
                SELECT (n - 1) / $1::bigint AS block, min(id), max(id), count(*), count(*) FILTER (WHERE confirmed) FROM (
                    SELECT id, \(confirmedSQL) AS confirmed, row_number() OVER (ORDER BY id) AS n
                        FROM review_db WHERE p_positive IS NOT NULL AND NOT rejected) predictions
                    GROUP BY block ORDER BY block
                """, [String(size)])
            statistics.blocks = try (0..<blocks.rowCount).map { row throws(PostgreSQLError) in
                FeedbackStatistics.Block(
                    firstID: try blocks.int64(row, 1), lastID: try blocks.int64(row, 2), predictions: Int(try blocks.int64(row, 3)),
                    confirmed: Int(try blocks.int64(row, 4)))
            }
            let states = try connection.execute("SELECT rejected, state, sentiment, count(*) FROM review_db GROUP BY 1, 2, 3")
            for row in 0..<states.rowCount {
                let count = Int(try states.int64(row, 3))
                statistics.rows += count
                if try states.bool(row, 0) {
                    statistics.rejected += count
                    continue
                }
                statistics.states[FeedbackState(rawValue: states[row, 1] ?? "") ?? .counts, default: 0] += count
                if try states.int64(row, 2) == 1 { statistics.positiveLabels += count } else { statistics.negativeLabels += count }
            }
            return statistics
        }
    }

    /// The reviews of the newest `limit` rows not rejected, newest first: the texts the admin
    /// page recovers the model's words from.
    public func recentReviews(limit: Int) throws(FeedbackStoreError) -> [String] {
        precondition(limit > 0, "at least one review")
        return try run("read the feedback") { connection in
            let result = try connection.execute("SELECT review FROM review_db WHERE NOT rejected ORDER BY id DESC LIMIT $1::bigint", [String(limit)])
            return (0..<result.rowCount).map { result[$0, 0] ?? "" }
        }
    }
}
