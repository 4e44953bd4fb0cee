extension ScaledColumnTable {
    /// Fills a table column by column, ascending, checking nothing: for a loader that has
    /// checked its columns (a model file's 726,476, the bulk of what a CGI request's load
    /// costs), in a loop with no call and no closure.
    struct Builder {
        private let blocks: ZeroedBuffer<Block>
        private let entries: ZeroedBuffer<Entry>
        let featureCount: Int
        /// The columns appended so far.
        private(set) var count = 0

        /// Room for `capacity` columns below `featureCount`.
        init(featureCount: Int, capacity: Int) {
            precondition(featureCount > 0 && featureCount <= 1 << 31, "featureCount must be in 1...2^31")
            self.featureCount = featureCount
            blocks = ZeroedBuffer(count: (featureCount + 63) / 64)
            // One entry more than the columns: the zero entry a lookup of a column past the last
            // one reads without a branch (see `scale`).
            entries = ZeroedBuffer(count: capacity + 1)
        }

        /// Adds `column`, which must be above the last one added and below `featureCount`, while
        /// fewer than `capacity` are.
        @inline(__always)
        mutating func append(column: Int, featureScale: Float, weight: Float) {
            blocks.elements[column >> 6].bits |= 1 << UInt64(column & 63)
            entries.elements[count] = Entry(featureScale: featureScale, weight: weight)
            count += 1
        }

        /// The table, its blocks' ranks counted.
        func build() -> ScaledColumnTable {
            var rank: UInt32 = 0
            for index in blocks.elements.indices {
                blocks.elements[index].rank = rank
                rank += UInt32(blocks.elements[index].bits.nonzeroBitCount)
            }
            return ScaledColumnTable(blocks: blocks, entries: entries, count: count, featureCount: featureCount)
        }
    }
}
