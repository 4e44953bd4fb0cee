/// Text to features for the n-gram variant (docs/research/model-variant.md): the
/// `NegationTokenizer`'s tokens and every adjacent pair of them (joined by a space), each hashed
/// with MurmurHash3 (seed 0) to column `|h| mod 2^22`, present or not (binary, no sign), each
/// present column multiplied by its frozen scale (the Naive Bayes log-count ratio learned at
/// training; a column without one is dropped), then L2-normalised.
public struct NGramVectorizer: Sendable {
    public static let featureCount = 1 << 22

    /// The scale of each column that has one.
    let scale: WeightTable

    /// The vectorizer with `scale`, a dense array of `featureCount` scales (0: dropped).
    public init(denseScale: [Double]) {
        precondition(denseScale.count == Self.featureCount, "a scale per column")
        scale = WeightTable(dense: denseScale)
    }

    /// Columns that have a scale: what a model of this variant stores and learns.
    public var scaledColumnCount: Int { scale.nonzeroCount }

    /// Calls `body` with the distinct columns of the unigrams and bigrams of `text`, ascending:
    /// what the features are before any scale (training counts them to learn the scales).
    public static func withColumns<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt32>) throws -> Result) rethrows -> Result {
        // A token takes at least one byte and a separator: at most n/2 + 1 tokens, as many pairs.
        let bound = text.utf8.count + 4
        return try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * bound) { keys in
            var count = 0
            // The previous token, then a space and the current one: the pair, hashed in place.
            try withUnsafeTemporaryAllocation(byteCount: 2 * bound + 16, alignment: 8) { pair in
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
                var distinct = 0
                for key in used where distinct == 0 || UInt64(columns[distinct - 1]) != key >> 1 {
                    columns[distinct] = UInt32(truncatingIfNeeded: key >> 1)
                    distinct += 1
                }
                return try body(UnsafeBufferPointer(rebasing: columns[..<distinct]))
            }
        }
    }

    /// Calls `body` with the features of `text`: its scaled columns, L2-normalised.
    public func withFeatures<Result>(of text: String, _ body: (SparseRow) throws -> Result) rethrows -> Result {
        try Self.withColumns(of: text) { present in
            try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: max(present.count, 1)) { columns in
                try withUnsafeTemporaryAllocation(of: Double.self, capacity: max(present.count, 1)) { values in
                    var count = 0
                    var squares = 0.0
                    for column in present {
                        let factor = scale.weight(ofColumn: Int(column))
                        guard factor != 0 else { continue }
                        columns[count] = column
                        values[count] = factor
                        squares += factor * factor
                        count += 1
                    }
                    if squares > 0 {
                        let norm = squares.squareRoot()
                        for index in 0..<count { values[index] /= norm }
                    }
                    return try body(
                        SparseRow(columns: UnsafeBufferPointer(rebasing: columns[..<count]), values: UnsafeBufferPointer(rebasing: values[..<count])))
                }
            }
        }
    }
}
