extension ScaledColumnTable {
    /// `scale(_:values:into: nil)`'s two sums for the terms of a review given as its sorted term
    /// keys (`column << 1 | (count − 1)`, counts 1 or 2, ascending by column, as
    /// `NGramVectorizer.withSortedTermKeys` makes them), each distinct column's value
    /// `termValue(its summed count)`: the same operations in the same order, so the same bits,
    /// without the columns and values written out and read back in two more passes.
    @inline(__always)
    func sums(ofSortedTermKeys keys: UnsafeBufferPointer<UInt64>, termValue: (Int) -> Double) -> (product: Double, squares: Double) {
        withLookup { lookup in
            let blocks = lookup.blocks
            let entries = lookup.entries
            let count = keys.count
            var product = 0.0
            var squares = 0.0
            // As `scale`: blocks asked for `blockDistance` keys ahead, entries `entryDistance`.
            let blockDistance = 48
            let entryDistance = 16
            for index in 0..<min(blockDistance, count) { lookup.prefetch(column: Self.column(ofTermKey: keys[index])) }
            var times = 0
            for index in 0..<count {
                if index + blockDistance < count { lookup.prefetch(column: Self.column(ofTermKey: keys[index + blockDistance])) }
                if index + entryDistance < count { lookup.prefetchEntry(column: Self.column(ofTermKey: keys[index + entryDistance])) }
                let key = keys[index]
                times += Int(key & 1) + 1
                if index + 1 < count && keys[index + 1] >> 1 == key >> 1 { continue }
                let column = Self.column(ofTermKey: key)
                let block = blocks[Int(column >> 6)]
                let bit = UInt64(column & 63)
                // Branch-free on presence, as in `scale`.
                let present = (block.bits >> bit) & 1
                let entry = entries[Int(block.rank) + (block.bits & ((1 << bit) &- 1)).nonzeroBitCount]
                let value = Double(present != 0 ? entry.featureScale : 0) * termValue(times)
                product += Double(present != 0 ? entry.weight : 0) * value
                squares += value * value
                times = 0
            }
            return (product, squares)
        }
    }

    @inline(__always)
    private static func column(ofTermKey key: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: key >> 1)
    }
}

extension ScaledColumnTable.Lookup {
    /// Moves the keys whose columns the table holds to the front of `keys`, in their order, and
    /// returns how many there are; a key's column is its bits from `columnShift` up (23 bits).
    ///
    /// Half a review's terms, most trigrams and many bigrams, have no column in the table; they
    /// add nothing to a decision or an explanation. Dropped before the keys are sorted, they cost
    /// a read of their block (each asked for `blockDistance` keys ahead, so that the misses
    /// overlap) and no sorting, and the lookups after the sort find the blocks of the rest in the
    /// cache.
    @inline(__always)
    func keepHeld(_ keys: UnsafeMutableBufferPointer<UInt64>, columnShift: UInt64) -> Int {
        let count = keys.count
        let blockDistance = 32
        for index in 0..<min(blockDistance, count) { prefetch(column: UInt32(truncatingIfNeeded: keys[index] >> columnShift)) }
        var kept = 0
        for index in 0..<count {
            if index + blockDistance < count { prefetch(column: UInt32(truncatingIfNeeded: keys[index + blockDistance] >> columnShift)) }
            let key = keys[index]
            keys[kept] = key
            kept += holds(column: UInt32(truncatingIfNeeded: key >> columnShift))
        }
        return kept
    }
}
