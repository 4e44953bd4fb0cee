/// Why a linear model decided as it did: the decision `w·x + b` split exactly into what each
/// feature of the text added (its weight times its value in `x`) and the bias `b`.
public struct Explanation: Sendable, Equatable {
    /// One distinct feature of the text (a word, or two or three adjacent words joined by spaces) and
    /// what it added to the decision (positive: towards positive). A feature that occurs
    /// several times adds once, with its count in its value.
    public struct Contribution: Sendable, Equatable {
        public let token: String
        public let contribution: Double

        public init(token: String, contribution: Double) {
            self.token = token
            self.contribution = contribution
        }
    }

    /// One occurrence of a word in the explained text, where it is, and its share of the
    /// decision: what its own feature added at this occurrence plus a half of what each pair and
    /// a third of what each triple of words it belongs to added. The shares of all words add up to the decision minus the bias,
    /// so marking the words with the largest shares shows what decided. (For the book's variant,
    /// whose tokenizer deletes tags and keeps only the bytes of words, a word is found again in
    /// the text as written; a token made by deleting a tag inside a word is not marked.)
    public struct WordShare: Sendable, Equatable {
        /// The word's bytes in the text's UTF-8.
        public let range: Range<Int>
        public let contribution: Double

        public init(range: Range<Int>, contribution: Double) {
            self.range = range
            self.contribution = contribution
        }
    }

    /// The distinct features, the strongest (largest magnitude) first: all of them, or as many
    /// towards each side as the explanation was asked for.
    public let contributions: [Contribution]
    /// The intercept: what the decision is before any feature.
    public let bias: Double
    /// `bias` plus every feature's contribution: the decision, the log-odds of positive.
    public let decision: Double
    /// The words of the text that have a share, in the order they appear.
    public let words: [WordShare]

    public init(contributions: [Contribution], bias: Double, decision: Double, words: [WordShare]) {
        self.contributions = contributions
        self.bias = bias
        self.decision = decision
        self.words = words
    }

    /// The `count` strongest features that pushed towards `sentiment`.
    public func strongest(_ count: Int, towards sentiment: Sentiment) -> [Contribution] {
        Array(contributions.filter { sentiment == .positive ? $0.contribution > 0 : $0.contribution < 0 }.prefix(count))
    }
}
