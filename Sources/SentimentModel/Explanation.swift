/// Why a linear model decided as it did: the decision `w·x + b` split exactly into what each
/// token of the text added (its weight times its value in `x`) and the bias `b`.
public struct Explanation: Sendable, Equatable {
    /// One distinct token of the text and what it added to the decision (positive: towards
    /// positive). A token that occurs several times adds once, with its count in its value.
    public struct Contribution: Sendable, Equatable {
        public let token: String
        public let contribution: Double
    }

    /// The distinct tokens, the strongest (largest magnitude) first.
    public let contributions: [Contribution]
    /// The intercept: what the decision is before any token.
    public let bias: Double

    /// `bias` plus every contribution: the decision, the log-odds of positive.
    public var decision: Double { contributions.reduce(bias) { $0 + $1.contribution } }

    /// The `count` strongest tokens that pushed towards `sentiment`.
    public func strongest(_ count: Int, towards sentiment: Sentiment) -> [Contribution] {
        Array(contributions.filter { sentiment == .positive ? $0.contribution > 0 : $0.contribution < 0 }.prefix(count))
    }
}
