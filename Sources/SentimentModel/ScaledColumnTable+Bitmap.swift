extension ScaledColumnTable {
    /// A table of the columns set in `bitmap` (`featureCount` bits, a multiple of 64: bit `c`
    /// of the little-endian 64-bit word `c / 64`), whose entries, in column order, `fill`
    /// writes: as a model file of version 3 holds them.
    init<Failure: Error>(
        featureCount: Int, bitmap: UnsafeRawBufferPointer, entries fill: (UnsafeMutableBufferPointer<Entry>) throws(Failure) -> Void
    ) throws(Failure) {
        precondition(featureCount > 0 && featureCount % 64 == 0 && bitmap.count == featureCount / 8, "a bit per column")
        let blocks = ZeroedBuffer<Block>(count: featureCount / 64)
        var rank: UInt32 = 0
        for index in blocks.elements.indices {
            let bits = UInt64(littleEndian: bitmap.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self))
            blocks.elements[index] = Block(bits: bits, rank: rank, spare: 0)
            rank += UInt32(bits.nonzeroBitCount)
        }
        let count = Int(rank)
        // One entry more than the columns: the zero entry a lookup of a column past the last one
        // reads without a branch (see `scale`).
        let entries = ZeroedBuffer<Entry>(count: count + 1)
        try fill(UnsafeMutableBufferPointer(rebasing: entries.elements[..<count]))
        self.init(blocks: blocks, entries: entries, count: count, featureCount: featureCount)
    }

    /// The columns set in a bitmap of whole 64-bit words.
    static func count(ofBitmap bitmap: UnsafeRawBufferPointer) -> Int {
        stride(from: 0, to: bitmap.count / 8 * 8, by: 8).reduce(0) {
            $0 + bitmap.loadUnaligned(fromByteOffset: $1, as: UInt64.self).nonzeroBitCount
        }
    }

    /// The column of the `rank`th bit set in `bitmap` (counting from 0), for messages; -1 when
    /// fewer are set.
    static func column(atRank rank: Int, ofBitmap bitmap: UnsafeRawBufferPointer) -> Int {
        var remaining = rank
        for word in 0..<(bitmap.count / 8) {
            var bits = UInt64(littleEndian: bitmap.loadUnaligned(fromByteOffset: 8 * word, as: UInt64.self))
            if remaining >= bits.nonzeroBitCount {
                remaining -= bits.nonzeroBitCount
                continue
            }
            for _ in 0..<remaining { bits &= bits - 1 }
            return word * 64 + bits.trailingZeroBitCount
        }
        return -1
    }
}
