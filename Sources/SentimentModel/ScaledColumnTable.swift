/// The feature scales and raw weights of an n-gram model: a fixed set of columns (the 726,476
/// of the bundled model's 2^23), each with its frozen feature scale and its weight, both binary32.
///
/// The columns are fixed when the model is trained (a column without a feature scale has no
/// feature, so learning never reaches it), which allows a layout that a table that grows
/// cannot have: the columns as a bitmap, and the entries packed in column order. A lookup
/// reads the column's 64-column block (its bits and the number of columns before it) and then
/// the entry at that rank: 2 MB of blocks, which the caches keep, and 8 bytes an entry,
/// 5.8 MB in all where an open-addressing table three quarters full took 16 MB. Absent columns,
/// most of a review's trigrams and many of its bigrams, are answered from the blocks alone.
///
/// The weights are binary32, rounded at every change, so that the model file stores them exactly
/// in 4 bytes each and a model that is saved and loaded goes on learning bit for bit as one that
/// never stopped.
///
/// The blocks never change after the table is made; the entries live in a `ZeroedBuffer` shared
/// between copies until one of them learns.
struct ScaledColumnTable: Sendable {
    private let blocks: ZeroedBuffer<Block>
    private var entries: ZeroedBuffer<Entry>
    /// The columns held.
    let count: Int
    /// The number of columns, as the vectorizer's `featureCount`.
    let featureCount: Int

    /// A table of the columns `entries` passes to the `insert` it is given, ascending, with their
    /// feature scales and weights (rounded to binary32); at most `expectedCount` of them.
    init(
        featureCount: Int, expectedCount: Int,
        entries fill: (_ insert: (_ column: Int, _ featureScale: Float, _ weight: Double) -> Void) -> Void
    ) {
        var builder = Builder(featureCount: featureCount, capacity: expectedCount)
        var previous = -1
        fill { column, featureScale, weight in
            precondition(column > previous && column < featureCount, "columns ascending within the feature count")
            precondition(builder.count < expectedCount, "more columns than announced")
            builder.append(column: column, featureScale: featureScale, weight: Float(weight))
            previous = column
        }
        self = builder.build()
    }

    /// The table a `Builder` filled.
    init(blocks: ZeroedBuffer<Block>, entries: ZeroedBuffer<Entry>, count: Int, featureCount: Int) {
        self.blocks = blocks
        self.entries = entries
        self.count = count
        self.featureCount = featureCount
    }

    /// Bytes the blocks and entries take.
    var memoryBytes: Int {
        blocks.elements.count * MemoryLayout<Block>.stride + entries.elements.count * MemoryLayout<Entry>.stride
    }

    /// Stored weights that are not 0.
    var nonzeroCount: Int {
        entries.elements[..<count].reduce(0) { $1.weight != 0 ? $0 + 1 : $0 }
    }

    /// The feature scale and weight of `column`, nil when the table does not hold it.
    func entry(ofColumn column: Int) -> (featureScale: Float, weight: Double)? {
        guard column >= 0 && column < featureCount else { return nil }
        return withLookup { $0.entry(ofColumn: UInt32(column)) }
    }

    /// Calls `body` with read access to the table for a loop of lookups, with no reference
    /// counting in the loop.
    @inline(__always)
    func withLookup<Result>(_ body: (Lookup) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) {
            try body(Lookup(blocks: UnsafeBufferPointer(blocks.elements), entries: UnsafeBufferPointer(entries.elements)))
        }
    }

    /// Of the terms `columns` (ascending, each below `featureCount`) with their values, the ones
    /// the table holds, each value times the column's feature scale, into `scaled`; returns how
    /// many, and `Σ weight × scaled value` and `Σ scaled value²` over them, in ascending column
    /// order.
    func scale(
        _ columns: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Double>,
        into scaled: (columns: UnsafeMutableBufferPointer<UInt32>, values: UnsafeMutableBufferPointer<Double>)?
    ) -> (count: Int, product: Double, squares: Double) {
        withLookup { lookup in
            let blocks = lookup.blocks
            let entries = lookup.entries
            var count = 0
            var product = 0.0
            var squares = 0.0
            // The blocks are asked for `blockDistance` terms ahead; `entryDistance` terms ahead,
            // once the block is likely in, the entry it points to.
            let blockDistance = 48
            let entryDistance = 16
            for index in 0..<min(blockDistance, columns.count) { lookup.prefetch(column: columns[index]) }
            for index in 0..<columns.count {
                if index + blockDistance < columns.count { lookup.prefetch(column: columns[index + blockDistance]) }
                if index + entryDistance < columns.count { lookup.prefetchEntry(column: columns[index + entryDistance]) }
                let column = columns[index]
                let block = blocks[Int(column >> 6)]
                let bit = UInt64(column & 63)
                // An absent column reads the entry of the next present one, or the zero entry past
                // the last: its scale and weight are made 0, and adding `0 × 0` and `0²` leaves both
                // sums exactly as they were (they start at +0, and nothing sums to -0). So there is
                // no branch to mispredict on the half of the terms that are absent.
                let present = (block.bits >> bit) & 1
                let entry = entries[Int(block.rank) + (block.bits & ((1 << bit) &- 1)).nonzeroBitCount]
                let value = Double(present != 0 ? entry.featureScale : 0) * values[index]
                product += Double(present != 0 ? entry.weight : 0) * value
                squares += value * value
                if let scaled, present != 0 {
                    scaled.columns[count] = column
                    scaled.values[count] = value
                }
                count += Int(present)
            }
            return (count, product, squares)
        }
    }

    /// `Σ weight(column) × value` over the row, in the row's order; a column the table does not
    /// hold reads +0.
    func dot(_ row: SparseRow) -> Double {
        withLookup { lookup in
            var product = 0.0
            for index in 0..<row.count {
                product += (lookup.entry(ofColumn: row.columns[index])?.weight ?? 0) * row.values[index]
            }
            return product
        }
    }

    /// `weight(column) += value × step`, rounded to binary32, for each column of the row. Every
    /// column must be one the table holds: a column without a feature scale has no feature.
    mutating func add(_ row: SparseRow, times step: Double) {
        makeUnique()
        withLookup { lookup in
            let entries = entries.elements
            for index in 0..<row.count {
                guard let slot = lookup.position(ofColumn: row.columns[index]) else {
                    preconditionFailure("column \(row.columns[index]) has no feature scale, so it cannot learn")
                }
                entries[slot].weight = Float(Double(entries[slot].weight) + row.values[index] * step)
            }
        }
    }

    /// Multiplies every weight by `factor`, rounding each to binary32.
    mutating func multiply(by factor: Double) {
        makeUnique()
        withExtendedLifetime(self) {
            let entries = entries.elements
            for index in 0..<count { entries[index].weight = Float(Double(entries[index].weight) * factor) }
        }
    }

    /// Calls `body` with each column, its feature scale and its weight, columns ascending.
    func forEachEntryInColumnOrder(_ body: (_ column: Int, _ featureScale: Float, _ weight: Double) throws -> Void) rethrows {
        try withExtendedLifetime(self) {
            var index = 0
            for (blockIndex, block) in blocks.elements.enumerated() {
                var bits = block.bits
                while bits != 0 {
                    let column = blockIndex << 6 | bits.trailingZeroBitCount
                    let entry = entries.elements[index]
                    try body(column, entry.featureScale, Double(entry.weight))
                    index += 1
                    bits &= bits - 1
                }
            }
        }
    }

    /// The dense array of raw weights: `featureCount` of them.
    func dense() -> [Double] {
        var dense = [Double](repeating: 0, count: featureCount)
        forEachEntryInColumnOrder { column, _, weight in dense[column] = weight }
        return dense
    }

    /// Gives this table entries of its own before it changes them.
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&entries) { entries = entries.copy() }
    }
}

extension ScaledColumnTable {
    /// 64 columns: which of them the table holds, and how many it holds before them. 16 bytes,
    /// so that both come in one read.
    struct Block {
        var bits: UInt64
        var rank: UInt32
        var spare: UInt32
    }

    /// A column's feature scale and raw weight.
    struct Entry {
        var featureScale: Float
        var weight: Float
    }
}

extension ScaledColumnTable: Equatable {
    /// Equal when both hold the same columns with equal feature scales and weights (`==` on
    /// floats: +0 equals -0, NaN equals nothing).
    static func == (lhs: ScaledColumnTable, rhs: ScaledColumnTable) -> Bool {
        guard lhs.featureCount == rhs.featureCount, lhs.count == rhs.count else { return false }
        return withExtendedLifetime((lhs, rhs)) {
            lhs.blocks.elements.indices.allSatisfy { lhs.blocks.elements[$0].bits == rhs.blocks.elements[$0].bits }
                && (0..<lhs.count).allSatisfy { index in
                    let left = lhs.entries.elements[index]
                    let right = rhs.entries.elements[index]
                    return left.featureScale == right.featureScale && left.weight == right.weight
                }
        }
    }
}
