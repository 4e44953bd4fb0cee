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

        /// The feature scale and weight of the entry at `rank` (below the count of columns held),
        /// the `rank`th column held: see `keepHeldAsRanks`.
        @inline(__always)
        func entry(atRank rank: Int) -> (featureScale: Float, weight: Double) {
            (entries[rank].featureScale, Double(entries[rank].weight))
        }

        /// Bits enough for any rank of a held column.
        var rankBits: Int {
            Int.bitWidth - (entries.count - 1).leadingZeroBitCount
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

        /// Asks the memory for the entry at `rank`.
        @inline(__always)
        func prefetchEntry(atRank rank: Int) {
            prefetchForReading(entries.baseAddress! + rank)
        }

        /// Asks the memory for `column`'s entry, reading its block.
        @inline(__always)
        func prefetchEntry(column: UInt32) {
            prefetchForReading(entries.baseAddress! + rank(of: column))
        }
    }
}
