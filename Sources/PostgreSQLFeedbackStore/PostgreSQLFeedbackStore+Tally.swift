import FeedbackStore
import PostgreSQLClient

extension PostgreSQLFeedbackStore {
    /// The metrics page's feedback figures, read in one statement (one snapshot): the
    /// confusion table, the held rows and the end of the id index.
    public func tally() throws(FeedbackStoreError) -> FeedbackTally {
        try run("count the feedback") { connection in
            let result = try connection.execute(
                """
                SELECT c.*, (SELECT count(*) FROM review_db WHERE state IN ('over-budget', 'needs-agreement') AND NOT rejected),
                    (SELECT coalesce(max(id), 0) FROM review_db)
                    FROM (\(Self.confusionSQL)) c
                """)
            var tally = FeedbackTally()
            tally.confusion = try Self.confusion(result)
            tally.heldRows = try result.int64(0, 4)
            tally.latestID = try result.int64(0, 5)
            return tally
        }
    }

    /// The predictions by what the model said and what the visitor said, in one pass: a query
    /// of one row and four columns, in the order `confusion(_:)` reads them.
    static let confusionSQL = """
        SELECT count(*) FILTER (WHERE p_positive <= 0.5 AND sentiment <> 1) AS negative_negative,
            count(*) FILTER (WHERE p_positive <= 0.5 AND sentiment = 1) AS negative_positive,
            count(*) FILTER (WHERE p_positive > 0.5 AND sentiment <> 1) AS positive_negative,
            count(*) FILTER (WHERE p_positive > 0.5 AND sentiment = 1) AS positive_positive
            FROM review_db WHERE p_positive IS NOT NULL AND NOT rejected
        """

    /// The confusion table from the first four columns of `result`'s first row.
    static func confusion(_ result: PostgreSQLResult) throws(PostgreSQLError) -> FeedbackStatistics.Confusion {
        var confusion = FeedbackStatistics.Confusion()
        confusion.predictedNegativeTruthNegative = Int(try result.int64(0, 0))
        confusion.predictedNegativeTruthPositive = Int(try result.int64(0, 1))
        confusion.predictedPositiveTruthNegative = Int(try result.int64(0, 2))
        confusion.predictedPositiveTruthPositive = Int(try result.int64(0, 3))
        return confusion
    }
}
