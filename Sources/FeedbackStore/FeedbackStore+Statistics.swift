import GRDB

extension FeedbackStore {
    /// The block sizes `statistics` chooses from: round numbers, so that the page's block
    /// boundaries read well. Public so that every store of the log chooses the same blocks.
    public static let blockSizes = [10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]

    /// Counts the log for the admin page, in one read transaction: the newest `days` UTC days
    /// (each a `GROUP BY` over the date's first ten characters), the predictions in at most
    /// `maximumBlocks` blocks of a round size, the confusion table, the label balance and the
    /// rows by state. Each is one pass of SQLite over the table; nothing is held in memory but
    /// the answers.
    public func statistics(days: Int, maximumBlocks: Int) throws(FeedbackStoreError) -> FeedbackStatistics {
        precondition(days > 0 && maximumBlocks > 0, "the page shows at least one day and one block")
        let confirmedSQL = "((p_positive > 0.5) = (sentiment = 1))"
        do {
            return try pool.read { db in
                var statistics = FeedbackStatistics()
                statistics.days = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT substr(date, 1, 10) AS day, COUNT(*), SUM(state IN ('counts', 'accepted') AND NOT rejected),
                            SUM(state IN ('over-budget', 'needs-agreement') AND NOT rejected), SUM(rejected),
                            SUM(p_positive IS NOT NULL AND NOT rejected), SUM(p_positive IS NOT NULL AND NOT rejected AND \(confirmedSQL))
                            FROM review_db GROUP BY day ORDER BY day DESC LIMIT ?
                        """, arguments: [days]
                ).reversed().map { row in
                    FeedbackStatistics.Day(
                        day: row[0], rows: row[1], counted: row[2], held: row[3], rejected: row[4], predictions: row[5], confirmed: row[6])
                }
                statistics.confusion = try Self.confusion(db)
                let c = statistics.confusion
                let predictions =
                    c.predictedNegativeTruthNegative + c.predictedNegativeTruthPositive + c.predictedPositiveTruthNegative
                    + c.predictedPositiveTruthPositive
                let size = Self.blockSizes.first { (predictions + $0 - 1) / $0 <= maximumBlocks } ?? Self.blockSizes.last!
                statistics.rowsPerBlock = size
                statistics.blocks = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT (n - 1) / ? AS block, MIN(id), MAX(id), COUNT(*), SUM(confirmed) FROM (
                            SELECT id, \(confirmedSQL) AS confirmed, ROW_NUMBER() OVER (ORDER BY id) AS n
                                FROM review_db WHERE p_positive IS NOT NULL AND NOT rejected)
                            GROUP BY block ORDER BY block
                        """, arguments: [size]
                ).map { row in FeedbackStatistics.Block(firstID: row[1], lastID: row[2], predictions: row[3], confirmed: row[4]) }
                for row in try Row.fetchAll(db, sql: "SELECT rejected, state, sentiment, COUNT(*) FROM review_db GROUP BY 1, 2, 3") {
                    let (rejected, state, sentiment, count): (Bool, String, Int, Int) = (row[0], row[1], row[2], row[3])
                    statistics.rows += count
                    if rejected {
                        statistics.rejected += count
                        continue
                    }
                    statistics.states[FeedbackState(rawValue: state) ?? .counts, default: 0] += count
                    if sentiment == 1 { statistics.positiveLabels += count } else { statistics.negativeLabels += count }
                }
                return statistics
            }
        } catch {
            throw .failed(path: path, operation: "count the feedback", reason: "\(error)")
        }
    }

    /// The predictions by what the model said and what the visitor said: one pass, grouped.
    static func confusion(_ db: Database) throws -> FeedbackStatistics.Confusion {
        var confusion = FeedbackStatistics.Confusion()
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT p_positive > 0.5, sentiment = 1, COUNT(*) FROM review_db
                        WHERE p_positive IS NOT NULL AND NOT rejected GROUP BY 1, 2
                    """))
        {
            let (predictedPositive, truthPositive, count): (Bool, Bool, Int) = (row[0], row[1], row[2])
            switch (predictedPositive, truthPositive) {
            case (false, false): confusion.predictedNegativeTruthNegative = count
            case (false, true): confusion.predictedNegativeTruthPositive = count
            case (true, false): confusion.predictedPositiveTruthNegative = count
            case (true, true): confusion.predictedPositiveTruthPositive = count
            }
        }
        return confusion
    }

    /// The reviews of the newest `limit` rows not rejected, newest first: the texts the admin
    /// page recovers the model's words from.
    public func recentReviews(limit: Int) throws(FeedbackStoreError) -> [String] {
        precondition(limit > 0, "SQLite reads a negative LIMIT as no limit")
        do {
            return try pool.read { db in
                try String.fetchAll(db, sql: "SELECT review FROM review_db WHERE NOT rejected ORDER BY id DESC LIMIT ?", arguments: [limit])
            }
        } catch {
            throw .failed(path: path, operation: "read the feedback", reason: "\(error)")
        }
    }
}
