import Glibc

/// Text to terms for the n-gram variant (docs/research/model-variant.md and
/// model-variant-2.md): the `NegationTokenizer`'s tokens and every adjacent pair of them
/// (joined by a space), each hashed with MurmurHash3 (seed 0) to column `|h| mod 2^22`, the
/// value of a column `ln(1 + its count)`.
///
/// The terms are not yet features: each column present is multiplied by its frozen feature
/// scale (the Naive Bayes log-count ratio learned at training, kept beside the column's weight
/// in the model's table; a column without one is dropped) and the result L2-normalised, in the
/// same lookup that reads the weight (`LogisticRegression.scaledDecision`).
public struct NGramVectorizer: Sendable, Equatable {
    public static let featureCount = 1 << 22
    /// Words per term at most: 2, unigrams and bigrams.
    public static let order = 2

    public init() {}

    public var featureCount: Int { Self.featureCount }

    /// The value of a term that occurs `count` times.
    @inline(__always)
    public static func termValue(count: Int) -> Double {
        count == 1 ? Self.single : log1p(Double(count))
    }

    /// `ln 2`, the value of a term that occurs once: most terms.
    private static let single = log1p(1.0)

    /// Calls `body` with the distinct columns of the unigrams and bigrams of `text`, ascending,
    /// and the number of times each occurs (collisions summed).
    public static func withTermCounts<Result>(
        of text: String, _ body: (_ columns: UnsafeBufferPointer<UInt32>, _ counts: UnsafeBufferPointer<Int32>) throws -> Result
    ) rethrows -> Result {
        // A token takes at least one byte and a separator: at most n/2 + 1 tokens, as many pairs.
        let bound = text.utf8.count + 4
        return try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * bound) { keys in
            var count = 0
            // The previous token, then a space and the current one: the pair, hashed in place.
            withUnsafeTemporaryAllocation(byteCount: 2 * bound + 16, alignment: 8) { pair in
                var previousLength = 0
                let mask = UInt64(Self.featureCount - 1)
                NegationTokenizer().forEachToken(in: text) { token in
                    // Keys as `ColumnSort` takes them: the column above a (zero) sign bit.
                    keys[count] = (UInt64(MurmurHash3.hash32(UnsafeRawBufferPointer(token)).magnitude) & mask) << 1
                    count += 1
                    if previousLength > 0 {
                        pair[previousLength] = UInt8(ascii: " ")
                        UnsafeMutableRawBufferPointer(rebasing: pair[(previousLength + 1)...]).copyMemory(from: UnsafeRawBufferPointer(token))
                        let pairBytes = UnsafeRawBufferPointer(rebasing: pair[..<(previousLength + 1 + token.count)])
                        keys[count] = (UInt64(MurmurHash3.hash32(pairBytes).magnitude) & mask) << 1
                        count += 1
                    }
                    pair.copyMemory(from: UnsafeRawBufferPointer(token))
                    previousLength = token.count
                }
            }
            let used = UnsafeMutableBufferPointer(rebasing: keys[..<count])
            ColumnSort.sort(used, scratch: UnsafeMutableBufferPointer(rebasing: keys[bound...]), columnBits: 22)
            return try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: max(count, 1)) { columns in
                try withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(count, 1)) { counts in
                    var distinct = 0
                    for key in used {
                        let column = UInt32(truncatingIfNeeded: key >> 1)
                        if distinct > 0 && columns[distinct - 1] == column {
                            counts[distinct - 1] += 1
                        } else {
                            columns[distinct] = column
                            counts[distinct] = 1
                            distinct += 1
                        }
                    }
                    return try body(UnsafeBufferPointer(rebasing: columns[..<distinct]), UnsafeBufferPointer(rebasing: counts[..<distinct]))
                }
            }
        }
    }

    /// Calls `body` with the terms of `text`: its distinct columns, ascending, and their values.
    @inline(__always)
    public func withTerms<Result>(
        of text: String, _ body: (_ columns: UnsafeBufferPointer<UInt32>, _ values: UnsafeBufferPointer<Double>) throws -> Result
    ) rethrows -> Result {
        try Self.withTermCounts(of: text) { columns, counts in
            try withUnsafeTemporaryAllocation(of: Double.self, capacity: max(counts.count, 1)) { values in
                for index in counts.indices { values[index] = Self.termValue(count: Int(counts[index])) }
                return try body(columns, UnsafeBufferPointer(rebasing: values[..<counts.count]))
            }
        }
    }
}
