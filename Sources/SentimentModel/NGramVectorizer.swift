import Glibc

/// Text to terms for the n-gram variant (docs/research/model-variant-3.md, chosen by
/// cross-validation inside the training rows): the `NegationTokenizer`'s tokens seen twice,
/// as marked (`not not_a not_good`) and plain (`not a good`), and their unigrams, bigrams and
/// trigrams (tokens joined by a space) in both views, each hashed as `hashing` says
/// (`TermHashing`): unigrams and bigrams to one block of 2^22 columns, trigrams to the block
/// after it. A term outside any negation scope is the same string in both views and counts
/// twice. The value of a column is `ln(1 + its count)`.
///
/// The terms are not yet features: each column present is multiplied by its frozen feature
/// scale (the Naive Bayes log-count ratio learned at training, kept beside the column's weight
/// in the model's table; a column without one is dropped) and the result L2-normalised, in the
/// same lookup that reads the weight (`LogisticRegression.scaledDecision`).
public struct NGramVectorizer: Sendable, Equatable {
    /// Columns of one block: the unigrams and bigrams, or the trigrams.
    public static let blockSize = 1 << blockBits
    static let blockBits = 22
    public static let featureCount = 2 * blockSize
    /// Words per term at most.
    public static let order = 3

    /// How a term becomes its column: what the model was trained with.
    public let hashing: TermHashing

    /// A vectorizer for a model whose terms are hashed as `hashing` says; new models use token
    /// keys.
    public init(hashing: TermHashing = .tokenKeys) {
        self.hashing = hashing
    }

    public var featureCount: Int { Self.featureCount }

    /// The value of a term that occurs `count` times.
    @inline(__always)
    public static func termValue(count: Int) -> Double {
        count < smallCountValues.count ? smallCountValues[count] : log1p(Double(count))
    }

    /// Calls `body` with `termValue`, its table read once: each read of a static is a
    /// `swift_once` call.
    @inline(__always)
    static func withTermValue<Result>(_ body: (_ termValue: (Int) -> Double) throws -> Result) rethrows -> Result {
        try smallCountValues.withUnsafeBufferPointer { small in
            try body { count in count < small.count ? small[count] : log1p(Double(count)) }
        }
    }

    /// `ln(1 + count)` for the counts of nearly every term (a word outside any negation scope
    /// counts 2 an occurrence, so `the` of a long review counts dozens): the same bits as
    /// `log1p`, without its call.
    static let smallCountValues: [Double] = (0..<64).map { log1p(Double($0)) }

    /// Tells `visitor` the column of each term of `text` and how many times it counts here,
    /// without the terms' bytes, for classifying, training and explaining: a term's hash is the
    /// running hash of the term one token shorter with the same first token, carried on over
    /// the new token (a `TermRun` of the model's `hashing`), so no term is copied or hashed from
    /// its start. The visitor also learns what an explanation needs to tell the terms apart and
    /// name them (see `TermVisitor`).
    @inline(__always)
    func forEachTerm<Visitor: TermVisitor>(in text: String, _ visitor: inout Visitor) {
        switch hashing {
        case .termBytes: Self.forEachTerm(in: text, &visitor, runs: TermBytesRun.self)
        case .tokenKeys: Self.forEachTerm(in: text, &visitor, runs: TokenKeyRun.self)
        }
    }

    @inline(__always)
    private static func forEachTerm<Visitor: TermVisitor, Run: TermRun>(in text: String, _ visitor: inout Visitor, runs: Run.Type) {
        var walker = TermWalker<Visitor, Run>(visitor: visitor)
        NegationTokenizer().forEachToken(in: text, &walker)
        visitor = walker.visitor
    }

    /// Turns tokens into terms for a `TermVisitor`.
    private struct TermWalker<Visitor: TermVisitor, Run: TermRun>: TokenVisitor {
        var visitor: Visitor
        /// The terms that end at the last token and start at the token before it (the newer
        /// run) or the one before that (the older): `first` and `second`, or the other way round
        /// when `firstIsNewer` is false. A token turns the older run into its unigram and the
        /// two swap parts, so no run is copied: a copy read a run whole right after its halves
        /// were stored, a load the store buffer cannot forward, once a token.
        var first = Run()
        var second = Run()
        var firstIsNewer = true
        var index = 0

        @inline(__always)
        mutating func visit(token: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
            visitor.visit(token: token, range: range)
            // The tokenizer's buffer has room past every token, as the runs read.
            let current = Run.token(UnsafeRawPointer(token.baseAddress!), count: token.count, isMarked: NegationTokenizer.isMarked(token))
            Run(current).report(block: 0, lastToken: index, order: 1, to: &visitor)
            if firstIsNewer {
                Self.extend(newer: &first, older: &second, with: current, lastToken: index, visitor: &visitor)
            } else {
                Self.extend(newer: &second, older: &first, with: current, lastToken: index, visitor: &visitor)
            }
            firstIsNewer.toggle()
            index += 1
        }

        /// Reports the bigram and the trigram that end at `current` (the token at `lastToken`),
        /// then makes `older` the unigram of `current`: the newer run of the next token.
        @inline(__always)
        private static func extend(newer: inout Run, older: inout Run, with current: Run.Token, lastToken: Int, visitor: inout Visitor) {
            if lastToken >= 1 {
                newer.extend(with: current)
                newer.report(block: 0, lastToken: lastToken, order: 2, to: &visitor)
            }
            if lastToken >= 2 {
                older.extend(with: current)
                older.report(block: UInt32(blockSize), lastToken: lastToken, order: 3, to: &visitor)
            }
            older = Run(current)
        }
    }

    /// Calls `body` with the terms of `text` as keys `column << 1 | (count − 1)` (a term counts
    /// 1 or 2: see `Span.report`), ascending by column, the keys of one column next to each other
    /// in any order.
    @inline(__always)
    func withSortedTermKeys<Result>(of text: String, _ body: (_ keys: UnsafeBufferPointer<UInt64>) throws -> Result) rethrows -> Result {
        try withTermKeys(of: text) { keys, scratch in
            try body(UnsafeBufferPointer(ColumnSort.sort(keys, scratch: scratch, columnBits: 23)))
        }
    }

    /// Calls `body` with the terms of `text` whose columns the table of `lookup` holds, as keys
    /// `rank << 1 | (count − 1)` (the rank of a column is the index of its entry: see
    /// `ScaledColumnTable.Lookup.keepHeldAsRanks`), ascending, so in column order, the keys of one
    /// column next to each other in any order: what a decision reads.
    @inline(__always)
    func withSortedRankKeys<Result>(
        of text: String, in lookup: ScaledColumnTable.Lookup, _ body: (_ keys: UnsafeBufferPointer<UInt64>) throws -> Result
    ) rethrows -> Result {
        try withTermKeys(of: text) { keys, scratch in
            let held = UnsafeMutableBufferPointer(rebasing: keys[..<lookup.keepHeldAsRanks(keys, shift: 1)])
            return try body(UnsafeBufferPointer(ColumnSort.sort(held, scratch: scratch, columnBits: lookup.rankBits)))
        }
    }

    /// Calls `body` with the terms of `text` as keys `column << 1 | (count − 1)`, in the text's
    /// order, and room as large to sort them into.
    @inline(__always)
    private func withTermKeys<Result>(
        of text: String, _ body: (_ keys: UnsafeMutableBufferPointer<UInt64>, _ scratch: UnsafeMutableBufferPointer<UInt64>) throws -> Result
    ) rethrows -> Result {
        // At most n/2 + 2 tokens, each ending at most 3 terms in 2 views.
        let bound = 6 * (text.utf8.count / 2 + 2)
        return try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * bound) { keys in
            var collector = KeyCollector(keys: keys.baseAddress!)
            forEachTerm(in: text, &collector)
            return try body(
                UnsafeMutableBufferPointer(rebasing: keys[..<collector.count]), UnsafeMutableBufferPointer(rebasing: keys[bound...]))
        }
    }

    /// Calls `body` with the distinct columns of the terms of `text`, ascending, and the number
    /// of times each occurs (collisions summed).
    public func withTermCounts<Result>(
        of text: String, _ body: (_ columns: UnsafeBufferPointer<UInt32>, _ counts: UnsafeBufferPointer<Int32>) throws -> Result
    ) rethrows -> Result {
        try withSortedTermKeys(of: text) { keys in
            try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: max(keys.count, 1)) { columns in
                try withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(keys.count, 1)) { counts in
                    var distinct = 0
                    for key in keys {
                        let column = UInt32(truncatingIfNeeded: key >> 1)
                        let times = Int32(key & 1) + 1
                        if distinct > 0 && columns[distinct - 1] == column {
                            counts[distinct - 1] += times
                        } else {
                            columns[distinct] = column
                            counts[distinct] = times
                            distinct += 1
                        }
                    }
                    return try body(UnsafeBufferPointer(rebasing: columns[..<distinct]), UnsafeBufferPointer(rebasing: counts[..<distinct]))
                }
            }
        }
    }

    /// The terms as keys for `ColumnSort`: the column above the count (1 or 2).
    private struct KeyCollector: TermVisitor {
        let keys: UnsafeMutablePointer<UInt64>
        var count = 0

        @inline(__always)
        mutating func visit(column: UInt32, count times: Int, hash: UInt32, lastToken: Int, order: Int, plain: Bool) {
            keys[count] = UInt64(column) << 1 | UInt64(times - 1)
            count += 1
        }
    }

    /// Calls `body` with the terms of `text`: its distinct columns, ascending, and their values.
    @inline(__always)
    public func withTerms<Result>(
        of text: String, _ body: (_ columns: UnsafeBufferPointer<UInt32>, _ values: UnsafeBufferPointer<Double>) throws -> Result
    ) rethrows -> Result {
        try withTermCounts(of: text) { columns, counts in
            try withUnsafeTemporaryAllocation(of: Double.self, capacity: max(counts.count, 1)) { values in
                try Self.withTermValue { termValue in
                    for index in counts.indices { values[index] = termValue(Int(counts[index])) }
                    return try body(columns, UnsafeBufferPointer(rebasing: values[..<counts.count]))
                }
            }
        }
    }
}
