/// Text to hashed features: the book's tokenizer, MurmurHash3 of each token (seed 0, signed),
/// column `|h| mod featureCount`, the sign of `h` as the sign of the count, L2 normalisation.
public struct HashingVectorizer: Sendable {
    /// The number of columns: 2^21 in the book.
    public let featureCount: Int
    public let tokenizer: BookTokenizer

    public static let bookFeatureCount = 1 << 21

    public init(featureCount: Int = HashingVectorizer.bookFeatureCount, tokenizer: BookTokenizer = BookTokenizer()) {
        precondition(featureCount > 0 && featureCount <= 1 << 31, "featureCount must be in 1...2^31")
        self.featureCount = featureCount
        self.tokenizer = tokenizer
    }

    /// Calls `body` with the features of `text`. The row's buffers live only during the call;
    /// nothing is allocated on the heap for a typical review.
    public func withFeatures<Result>(of text: String, _ body: (SparseRow) throws -> Result) rethrows -> Result {
        // A token takes at least one byte and a separator, an emoticon at least two bytes: a
        // text of n bytes has at most n/2 + 1 tokens.
        let bound = text.utf8.count / 2 + 2
        return try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * bound) { keys in
            var count = 0
            let featureCount = UInt64(featureCount)
            // |h| mod n; a mask when n is a power of two (2^21), sparing a division per token.
            let mask = featureCount & (featureCount - 1) == 0 ? featureCount - 1 : nil
            tokenizer.forEachToken(in: text) { _, hash in
                let magnitude = UInt64(hash.magnitude)
                let column = mask.map { magnitude & $0 } ?? magnitude % featureCount
                // Key: column in the high bits, sign in the lowest bit (1 = negative).
                keys[count] = column << 1 | (hash < 0 ? 1 : 0)
                count += 1
            }
            let used = ColumnSort.sort(
                UnsafeMutableBufferPointer(rebasing: keys[..<count]), scratch: UnsafeMutableBufferPointer(rebasing: keys[bound...]),
                columnBits: columnBits)
            return try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: max(count, 1)) { columns in
                try withUnsafeTemporaryAllocation(of: Double.self, capacity: max(count, 1)) { values in
                    let distinct = Self.sumDuplicates(used, columns: columns, values: values)
                    Self.normalize(UnsafeMutableBufferPointer(rebasing: values[..<distinct]))
                    return try body(
                        SparseRow(
                            columns: UnsafeBufferPointer(rebasing: columns[..<distinct]),
                            values: UnsafeBufferPointer(rebasing: values[..<distinct])
                        ))
                }
            }
        }
    }

    /// Significant bits of the largest column: how far the column sort has to look.
    private var columnBits: Int {
        Int.bitWidth - (featureCount - 1).leadingZeroBitCount
    }

    /// The features of `text` as an owned value.
    public func features(of text: String) -> SparseVector {
        withFeatures(of: text) { SparseVector(columns: Array($0.columns), values: Array($0.values)) }
    }

    private static func sumDuplicates(
        _ keys: UnsafeMutableBufferPointer<UInt64>,
        columns: UnsafeMutableBufferPointer<UInt32>,
        values: UnsafeMutableBufferPointer<Double>
    ) -> Int {
        var distinct = 0
        var index = 0
        while index < keys.count {
            let column = keys[index] >> 1
            var sum = 0.0
            while index < keys.count && keys[index] >> 1 == column {
                sum += keys[index] & 1 == 0 ? 1 : -1
                index += 1
            }
            columns[distinct] = UInt32(truncatingIfNeeded: column)
            values[distinct] = sum
            distinct += 1
        }
        return distinct
    }

    private static func normalize(_ values: UnsafeMutableBufferPointer<Double>) {
        var squares = 0.0
        for value in values { squares += value * value }
        guard squares > 0 else { return }
        let norm = squares.squareRoot()
        for index in values.indices { values[index] /= norm }
    }
}
