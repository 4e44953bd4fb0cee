extension ScaledColumnTable.Lookup {
    /// Keeps the keys whose columns the table holds, at the front of `keys` and in their order,
    /// each with its column (its bits from `shift` up, 23 bits) replaced by the column's rank, the
    /// index of its entry; returns how many there are.
    ///
    /// Three in ten of a review's terms (of the bundled model, on real reviews) have no column in
    /// the table; they add nothing to a decision or an explanation. Dropped before the keys are sorted, they cost
    /// a read of their block (each asked for `blockDistance` keys ahead, so that the misses
    /// overlap) and no sorting. The entries are in column order, so ranks sort as their columns
    /// do, in `rankBits` bits; and a lookup after the sort reads the entry alone, its block
    /// neither read nor counted in again.
    @inline(__always)
    func keepHeldAsRanks(_ keys: UnsafeMutableBufferPointer<UInt64>, shift: UInt64) -> Int {
        let count = keys.count
        let low: UInt64 = 1 << shift - 1
        let blockDistance = 32
        for index in 0..<min(blockDistance, count) { prefetch(column: UInt32(truncatingIfNeeded: keys[index] >> shift)) }
        var kept = 0
        for index in 0..<count {
            if index + blockDistance < count { prefetch(column: UInt32(truncatingIfNeeded: keys[index + blockDistance] >> shift)) }
            let key = keys[index]
            let column = UInt32(truncatingIfNeeded: key >> shift)
            let block = blocks[Int(column >> 6)]
            let bit = UInt64(column & 63)
            // Written whether held or not, and kept by counting it: no branch on presence.
            let rank = UInt64(block.rank) + UInt64((block.bits & ((1 << bit) &- 1)).nonzeroBitCount)
            prefetchEntry(atRank: Int(truncatingIfNeeded: rank))
            keys[kept] = rank << shift | key & low
            kept += Int(truncatingIfNeeded: (block.bits >> bit) & 1)
        }
        return kept
    }

    /// `ScaledColumnTable.scale(_:values:into: nil)`'s two sums for the held terms of a review
    /// given as sorted rank keys (`rank << 1 | (count − 1)`, counts 1 or 2, ascending, as
    /// `NGramVectorizer.withSortedRankKeys` makes them), each distinct column's value
    /// `termValue(its summed count)`: the same operations in the same order, so the same bits,
    /// without the columns and values written out and read back in two more passes.
    @inline(__always)
    func sums(ofSortedRankKeys keys: UnsafeBufferPointer<UInt64>, termValue: (Int) -> Double) -> (product: Double, squares: Double) {
        let count = keys.count
        var product = 0.0
        var squares = 0.0
        // The entries are cache misses: each is asked for `entryDistance` keys ahead.
        let entryDistance = 16
        for index in 0..<min(entryDistance, count) { prefetchEntry(atRank: Int(truncatingIfNeeded: keys[index] >> 1)) }
        var times = 0
        for index in 0..<count {
            if index + entryDistance < count { prefetchEntry(atRank: Int(truncatingIfNeeded: keys[index + entryDistance] >> 1)) }
            let key = keys[index]
            times += Int(key & 1) + 1
            if index + 1 < count && keys[index + 1] >> 1 == key >> 1 { continue }
            let entry = entry(atRank: Int(truncatingIfNeeded: key >> 1))
            let value = Double(entry.featureScale) * termValue(times)
            product += entry.weight * value
            squares += value * value
            times = 0
        }
        return (product, squares)
    }
}
