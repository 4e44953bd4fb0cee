/// What the feedback log says about the model and the visitors, counted in one read
/// transaction so that the numbers agree with each other: what the admin page shows.
///
/// A *prediction* is a row with the live model's P(positive) stored beside it (the visitors'
/// rows; rows written outside the application have none); it is *confirmed* when the
/// prediction, positive above 0.5 as the classifier decides, is the label the visitor gave.
/// Rejected rows are left out of the predictions, the confusion table and the label balance:
/// an admin judged them false.
public struct FeedbackStatistics: Sendable, Equatable {
    /// The rows of one UTC day.
    public struct Day: Sendable, Equatable {
        /// `YYYY-MM-DD`.
        public var day: String
        /// Rows stored, in any state.
        public var rows: Int
        /// Rows that count (accepted ones included), not rejected.
        public var counted: Int
        /// Rows held, waiting for an admin.
        public var held: Int
        public var rejected: Int
        /// Predictions (not rejected) and how many the visitors confirmed.
        public var predictions: Int
        public var confirmed: Int

        public init(day: String, rows: Int, counted: Int, held: Int, rejected: Int, predictions: Int, confirmed: Int) {
            self.day = day
            self.rows = rows
            self.counted = counted
            self.held = held
            self.rejected = rejected
            self.predictions = predictions
            self.confirmed = confirmed
        }
    }

    /// Consecutive predictions in id order: progressive validation, as Vowpal Wabbit prints it.
    /// Each row was predicted before it was learned, so the share per block says whether the
    /// model gets better as it learns.
    public struct Block: Sendable, Equatable {
        public var firstID: Int64
        public var lastID: Int64
        public var predictions: Int
        public var confirmed: Int

        public init(firstID: Int64, lastID: Int64, predictions: Int, confirmed: Int) {
            self.firstID = firstID
            self.lastID = lastID
            self.predictions = predictions
            self.confirmed = confirmed
        }
    }

    /// Predictions by what the model said and what the visitor said.
    public struct Confusion: Sendable, Equatable {
        public var predictedNegativeTruthNegative = 0
        public var predictedNegativeTruthPositive = 0
        public var predictedPositiveTruthNegative = 0
        public var predictedPositiveTruthPositive = 0

        public init() {}
    }

    /// The newest days, oldest first, at most the number asked for.
    public var days: [Day] = []
    /// Every prediction, in blocks of `rowsPerBlock` (the last one may be shorter).
    public var blocks: [Block] = []
    public var rowsPerBlock = 0
    public var confusion = Confusion()
    /// Rows not rejected by the label their sender gave.
    public var negativeLabels = 0
    public var positiveLabels = 0
    /// Rows not rejected, by what the trust rules decided.
    public var states: [FeedbackState: Int] = [:]
    /// Rows an admin rejected.
    public var rejected = 0
    /// Every row stored.
    public var rows = 0

    public init() {}

    /// Predictions (not rejected) in all.
    public var predictions: Int { blocks.reduce(0) { $0 + $1.predictions } }
    /// Predictions the visitors confirmed, in all.
    public var confirmed: Int { blocks.reduce(0) { $0 + $1.confirmed } }
    /// Rows not rejected that count (accepted ones included).
    public var counted: Int { states[.counts, default: 0] + states[.accepted, default: 0] }
    /// Rows not rejected that wait for an admin.
    public var held: Int { states[.overBudget, default: 0] + states[.needsAgreement, default: 0] }
}
