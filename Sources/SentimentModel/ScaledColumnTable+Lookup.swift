extension ScaledColumnTable {
    /// Read access to a table's blocks and entries for a loop of lookups, without reference
    /// counting: valid only inside the `withLookup` that made it.
    struct Lookup {
        let blocks: UnsafeBufferPointer<Block>
        let entries: UnsafeBufferPointer<Entry>

        /// The feature scale and weight of `column` (below the feature count), nil when the
        /// table does not hold it.
        @inline(__always)
        func entry(ofColumn column: UInt32) -> (featureScale: Float, weight: Double)? {
            position(ofColumn: column).map { (entries[$0].featureScale, Double(entries[$0].weight)) }
        }

        /// Whether the table holds `column`: 1 or 0, for a count kept without a branch.
        @inline(__always)
        func holds(column: UInt32) -> Int {
            Int(truncatingIfNeeded: (blocks[Int(column >> 6)].bits >> UInt64(column & 63)) & 1)
        }

        /// The entry index of `column`, nil when the table does not hold it.
        @inline(__always)
        func position(ofColumn column: UInt32) -> Int? {
            let block = blocks[Int(column >> 6)]
            guard (block.bits >> UInt64(column & 63)) & 1 != 0 else { return nil }
            return rank(of: column)
        }

        /// The entry index of `column` if the table holds it, else of the next column it holds
        /// (or the zero entry past the last).
        @inline(__always)
        func rank(of column: UInt32) -> Int {
            let block = blocks[Int(column >> 6)]
            return Int(block.rank) + (block.bits & ((1 << UInt64(column & 63)) &- 1)).nonzeroBitCount
        }

        /// Asks the memory for `column`'s block.
        @inline(__always)
        func prefetch(column: UInt32) {
            prefetchForReading(blocks.baseAddress! + Int(column >> 6))
        }

        /// Asks the memory for `column`'s entry, reading its block.
        @inline(__always)
        func prefetchEntry(column: UInt32) {
            prefetchForReading(entries.baseAddress! + rank(of: column))
        }
    }
}
