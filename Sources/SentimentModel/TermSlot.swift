/// Where a term of a text lands in a model: its column, and, for the book's variant, the sign
/// its hash gives its count. Terms are hashed, so a model cannot list its words; a reader who
/// has texts (the stored feedback) finds each term's slot and weight by hashing them
/// (`SentimentClassifier.forEachTerm(in:_:)`), and terms with one slot share its weight.
public struct TermSlot: Hashable, Sendable {
    public let column: Int
    /// Whether the term counts −1 in its column: the book's vectorizer signs each count with
    /// its term's MurmurHash3 (scikit-learn's `alternate_sign`); the n-gram variant's terms
    /// always count +1.
    public let countsNegatively: Bool

    public init(column: Int, countsNegatively: Bool) {
        self.column = column
        self.countsNegatively = countsNegatively
    }
}
