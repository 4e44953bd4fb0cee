import CPrefetch

/// The raw weights of a model, holding only the columns learning has touched (the book's
/// variant) or that have a feature scale (the n-gram variant's): a trained book model has about
/// 100,000 of its 2^21 columns, so a table takes 4 MB where a dense array took 16 MB, and a
/// worker loads it without zero-filling and faulting in the rest.
///
/// An open-addressing hash table with linear probing: the capacity is a power of two, and the
/// table is never more than half full (three quarters for a table whose columns are fixed when
/// it is made, as the n-gram variant's), so a lookup probes about 1.5 slots (2.5). A slot holds
/// the key `column + 1` (0 marks an empty slot), the column's feature scale and its weight side
/// by side in 16 aligned bytes, so that a lookup reads one cache line where separate arrays
/// would cost a miss each.
///
/// A column's home slot is its Fibonacci hash (`column × 2^64/φ`, the top bits). Scaling the
/// column to the capacity would keep the columns' order, but it needs columns spread evenly
/// over `0..<featureCount`, and the n-gram variant's two blocks are not: its dense unigram and
/// bigram block overflowed the first half of the slots into one endless probe.
///
/// A column absent from the table has weight +0, exactly as an untouched entry of a dense array
/// has; a column stays in the table once added, with whatever bits the arithmetic gave it.
///
/// The slots live in a `SlotStorage`, shared between copies until one of them changes.
struct WeightTable: Sendable {
    private var storage: SlotStorage
    /// Occupied slots.
    private(set) var count: Int
    /// The number of columns, as the vectorizer's `featureCount`.
    let featureCount: Int
    /// `64 − log2(capacity)`: a column's home slot is the top bits of its Fibonacci hash.
    private var homeShift: UInt64
    /// How full the table may get and how precisely it keeps weights.
    let kind: Kind

    /// Slots of a table before anything is learned.
    static let minimumCapacity = 16

    /// An empty table with room for `expectedCount` columns before it grows.
    init(featureCount: Int, expectedCount: Int = 0, kind: Kind = .learnedColumns) {
        precondition(featureCount > 0 && featureCount <= 1 << 31, "featureCount must be in 1...2^31")
        self.featureCount = featureCount
        self.kind = kind
        let capacity = Self.capacity(for: min(expectedCount, featureCount), kind: kind)
        storage = SlotStorage(capacity: capacity)
        count = 0
        homeShift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    /// A table of the columns `entries` passes to the `insert` it is given, with their feature
    /// scales (0 for none) and weights, in one pass with no growth: loading a model, copying a
    /// dense array, growing. The columns must be distinct and at most `expectedCount`.
    init(
        featureCount: Int, expectedCount: Int, kind: Kind,
        entries: (_ insert: (_ column: Int, _ featureScale: Float, _ weight: Double) -> Void) -> Void
    ) {
        self.init(featureCount: featureCount, expectedCount: expectedCount, kind: kind)
        let homeShift = homeShift
        let slots = storage.slots
        let limit = kind.maximumCount(capacity: slots.count)
        // The entries are placed in the order of their home slots, not as they come: the homes of
        // ascending columns are scattered over the table, and a table far larger than the caches
        // filled at random takes a miss per entry (the n-gram model's 726,686 entries: about
        // 40 ms of a CGI request). A counting sort on the homes' top 10 bits makes the writes
        // run front to back: 1,024 streams into the sorted copy, which the caches follow, then
        // each 1/1,024th of the table (16 KB of the n-gram model's) filled while it is cached.
        var pending: [Slot] = []
        pending.reserveCapacity(min(expectedCount, limit))
        entries { column, featureScale, weight in
            precondition(pending.count < limit, "more columns than announced")
            pending.append(Slot(key: UInt32(column + 1), featureScale: featureScale, weight: kind.stored(weight)))
        }
        let bucketShift = max(0, slots.count.trailingZeroBitCount - 10)
        var starts = [Int](repeating: 0, count: (slots.count >> bucketShift) + 1)
        for slot in pending { starts[Self.home(of: slot.key - 1, homeShift: homeShift) >> bucketShift + 1] += 1 }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        var ordered = [Slot](repeating: Slot(key: 0, featureScale: 0, weight: 0), count: pending.count)
        for slot in pending {
            let bucket = Self.home(of: slot.key - 1, homeShift: homeShift) >> bucketShift
            ordered[starts[bucket]] = slot
            starts[bucket] += 1
        }
        let mask = slots.count - 1
        for entry in ordered {
            var slot = Self.home(of: entry.key - 1, homeShift: homeShift)
            while slots[slot].key != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
        count = ordered.count
    }

    /// The table of a dense weight array: every entry but +0 (a -0 keeps its sign).
    init(dense: [Double]) {
        let stored = dense.reduce(0) { $1.bitPattern != 0 ? $0 + 1 : $0 }
        self.init(featureCount: dense.count, expectedCount: stored, kind: .learnedColumns) { insert in
            for (column, weight) in dense.enumerated() where weight.bitPattern != 0 { insert(column, 0, weight) }
        }
    }

    var capacity: Int { storage.slots.count }

    private var slots: UnsafeBufferPointer<Slot> { UnsafeBufferPointer(storage.slots) }

    /// Bytes the slots take.
    var memoryBytes: Int {
        capacity * MemoryLayout<Slot>.stride
    }

    /// Stored weights that are not 0 (learning can bring a stored weight back to 0).
    var nonzeroCount: Int {
        slots.reduce(0) { nonzero, slot in slot.key != 0 && slot.weight != 0 ? nonzero + 1 : nonzero }
    }

    /// The smallest power of two that holds `count` within `loadLimit`, and at least
    /// `minimumCapacity`.
    private static func capacity(for count: Int, kind: Kind) -> Int {
        var capacity = minimumCapacity
        while kind.maximumCount(capacity: capacity) < count { capacity *= 2 }
        return capacity
    }

    /// The weight of `column`; +0 when the table does not hold it.
    func weight(ofColumn column: Int) -> Double {
        withExtendedLifetime(storage) {
            Self.weight(ofColumn: UInt32(column), slots: slots, homeShift: homeShift)
        }
    }

    /// The feature scale and weight of `column`, nil when the table does not hold it.
    func entry(ofColumn column: Int) -> (featureScale: Float, weight: Double)? {
        withExtendedLifetime(storage) {
            Self.slot(ofColumn: UInt32(column), slots: slots, homeShift: homeShift).map { ($0.featureScale, $0.weight) }
        }
    }

    /// Asks the memory for the slots a lookup of `column` reads first (its home slot's line and
    /// the next): for a caller that knows its next lookups well ahead, as `scale` does.
    @inline(__always)
    func prefetch(column: UInt32) {
        withExtendedLifetime(storage) {
            let home = storage.slots.baseAddress! + Self.home(of: column, homeShift: homeShift)
            cprefetch_read(home)
            cprefetch_read(home + 4)
        }
    }

    /// For a table of fixed columns: of the terms `columns` (ascending) with their values, the
    /// ones the table holds, each value times the column's feature scale, into `scaled`;
    /// returns how many, and `Σ weight × scaled value` and `Σ scaled value²` over them, in one
    /// lookup per term.
    func scale(
        _ columns: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Double>,
        into scaled: (columns: UnsafeMutableBufferPointer<UInt32>, values: UnsafeMutableBufferPointer<Double>)?
    ) -> (count: Int, product: Double, squares: Double) {
        withExtendedLifetime(storage) {
            let slots = slots
            var count = 0
            var product = 0.0
            var squares = 0.0
            // The slots are random reads in a table far larger than the caches, and a probe loop's
            // mispredicted exit keeps one miss from starting before the last is over: each home
            // slot's line and the next (a lookup of an absent column probes about 6 slots at the
            // table's load) are prefetched `prefetchDistance` terms ahead, so that the misses
            // overlap.
            let prefetchDistance = 32
            for index in 0..<min(prefetchDistance, columns.count) {
                let home = slots.baseAddress! + Self.home(of: columns[index], homeShift: homeShift)
                cprefetch_read(home)
                cprefetch_read(home + 4)
            }
            for index in 0..<columns.count {
                if index + prefetchDistance < columns.count {
                    let home = slots.baseAddress! + Self.home(of: columns[index + prefetchDistance], homeShift: homeShift)
                    cprefetch_read(home)
                    cprefetch_read(home + 4)
                }
                guard let slot = Self.slot(ofColumn: columns[index], slots: slots, homeShift: homeShift) else { continue }
                let value = Double(slot.featureScale) * values[index]
                product += slot.weight * value
                squares += value * value
                if let scaled {
                    scaled.columns[count] = columns[index]
                    scaled.values[count] = value
                }
                count += 1
            }
            return (count, product, squares)
        }
    }

    /// `Σ weight(column) × value` over the row, in the row's order: the same arithmetic, rounding
    /// for rounding, as over a dense array, where a missing column reads +0.
    func dot(_ row: SparseRow) -> Double {
        withExtendedLifetime(storage) {
            let slots = slots
            var product = 0.0
            for index in 0..<row.count {
                let weight = Self.weight(ofColumn: row.columns[index], slots: slots, homeShift: homeShift)
                product += weight * row.values[index]
            }
            return product
        }
    }

    /// `weight(column) += value × step` for each column of the row, adding the columns the table
    /// lacks. A missing column whose increment is ±0 stays missing: `+0 + ±0` is `+0`.
    mutating func add(_ row: SparseRow, times step: Double) {
        reserve(count + row.count)
        makeUnique()
        let homeShift = homeShift
        var added = 0
        withExtendedLifetime(storage) {
            let slots = storage.slots
            let mask = slots.count - 1
            for index in 0..<row.count {
                let increment = row.values[index] * step
                let key = row.columns[index] + 1
                var slot = Self.home(of: row.columns[index], homeShift: homeShift)
                while slots[slot].key != key && slots[slot].key != 0 { slot = (slot + 1) & mask }
                if slots[slot].key == key {
                    slots[slot].weight = kind.stored(slots[slot].weight + increment)
                } else if increment != 0 {
                    slots[slot] = Slot(key: key, featureScale: 0, weight: kind.stored(increment))
                    added += 1
                }
            }
        }
        count += added
    }

    /// Multiplies every weight by `factor`: one pass over the slots, O(capacity).
    mutating func multiply(by factor: Double) {
        makeUnique()
        withExtendedLifetime(storage) {
            let slots = storage.slots
            for slot in slots.indices { slots[slot].weight = kind.stored(slots[slot].weight * factor) }
        }
    }

    /// Gives this table slots of its own before it changes them.
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Calls `body` with each stored column and its weight, columns ascending.
    func forEachInColumnOrder(_ body: (_ column: Int, _ weight: Double) throws -> Void) rethrows {
        try forEachEntryInColumnOrder { column, _, weight in try body(column, weight) }
    }

    /// Calls `body` with each stored column, its feature scale and its weight, columns ascending.
    func forEachEntryInColumnOrder(_ body: (_ column: Int, _ featureScale: Float, _ weight: Double) throws -> Void) rethrows {
        // Column in the high half, slot in the low half: sorting sorts by column.
        var order: [UInt64] = []
        order.reserveCapacity(count)
        for (index, slot) in slots.enumerated() where slot.key != 0 {
            order.append(UInt64(slot.key - 1) << 32 | UInt64(index))
        }
        order.sort()
        for entry in order {
            let slot = slots[Int(entry & 0xFFFF_FFFF)]
            try body(Int(entry >> 32), slot.featureScale, slot.weight)
        }
    }

    /// The dense array: `featureCount` weights.
    func dense() -> [Double] {
        var dense = [Double](repeating: 0, count: featureCount)
        for slot in slots where slot.key != 0 {
            dense[Int(slot.key - 1)] = slot.weight
        }
        return dense
    }

    /// Makes room for `count` columns within the load limit. Growing moves every column to a
    /// table of twice the capacity.
    private mutating func reserve(_ count: Int) {
        let count = min(count, featureCount)
        guard count > kind.maximumCount(capacity: capacity) else { return }
        self = WeightTable(featureCount: featureCount, expectedCount: count, kind: kind) { insert in
            for slot in slots where slot.key != 0 { insert(Int(slot.key - 1), slot.featureScale, slot.weight) }
        }
    }

    /// Fibonacci hashing: the column times 2^64/φ, its top bits. Columns of any spread, such as
    /// two blocks of different density, land evenly over the slots.
    @inline(__always)
    private static func home(of column: UInt32, homeShift: UInt64) -> Int {
        Int(truncatingIfNeeded: (UInt64(column) &* 0x9E37_79B9_7F4A_7C15) >> homeShift)
    }

    @inline(__always)
    private static func weight(
        ofColumn column: UInt32, slots: UnsafeBufferPointer<Slot>, homeShift: UInt64
    ) -> Double {
        slot(ofColumn: column, slots: slots, homeShift: homeShift)?.weight ?? 0
    }

    @inline(__always)
    private static func slot(ofColumn column: UInt32, slots: UnsafeBufferPointer<Slot>, homeShift: UInt64) -> Slot? {
        let key = column + 1
        let mask = slots.count - 1
        var slot = home(of: column, homeShift: homeShift)
        while true {
            let found = slots[slot].key
            if found == key { return slots[slot] }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }
}

extension WeightTable {
    /// A column, its feature scale and its weight: 16 bytes, so four slots fill a cache line
    /// and none straddles two.
    struct Slot {
        /// `column + 1`; 0 = empty.
        var key: UInt32
        /// What the column's term value is multiplied by before the weight (the n-gram
        /// variant's Naive Bayes ratio); 0 in a table without feature scales (the book's).
        var featureScale: Float
        var weight: Double
    }

    /// The two kinds of table. The book's grows as it learns, so it stays at most half full
    /// (short probes for the many lookups of absent columns) and keeps its weights in binary64,
    /// as scikit-learn does. The n-gram variant's holds a fixed set of columns, each with a
    /// feature scale: three quarters full, and every weight rounded to binary32 whenever it
    /// changes, so that its model file stores the weights exactly in 4 bytes each and a model
    /// that is saved and loaded goes on learning bit for bit as one that never stopped.
    enum Kind: Sendable {
        case learnedColumns
        case scaledColumns

        func maximumCount(capacity: Int) -> Int {
            switch self {
            case .learnedColumns: capacity / 2
            case .scaledColumns: capacity / 4 * 3
            }
        }

        /// `weight` as this kind of table stores it.
        @inline(__always)
        func stored(_ weight: Double) -> Double {
            switch self {
            case .learnedColumns: weight
            case .scaledColumns: Double(Float(weight))
            }
        }
    }
}

extension WeightTable: Equatable {
    /// Equal when every column has an equal weight (`==` on doubles, as for dense arrays: +0 equals
    /// -0, NaN equals nothing), however the two tables are laid out.
    static func == (lhs: WeightTable, rhs: WeightTable) -> Bool {
        guard lhs.featureCount == rhs.featureCount else { return false }
        return lhs.agrees(with: rhs) && rhs.agrees(with: lhs)
    }

    /// Whether every column this table holds has the same weight in `other`, and the same
    /// feature scale where it has one.
    private func agrees(with other: WeightTable) -> Bool {
        slots.allSatisfy { slot in
            guard slot.key != 0 else { return true }
            let column = Int(slot.key - 1)
            guard slot.featureScale == 0 else { return other.entry(ofColumn: column).map { $0 == (slot.featureScale, slot.weight) } ?? false }
            return slot.weight == other.weight(ofColumn: column)
        }
    }
}
