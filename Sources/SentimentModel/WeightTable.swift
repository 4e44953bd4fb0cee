/// The raw weights of a book model, holding only the columns learning has touched: a trained
/// book model has about 100,000 of its 2^21 columns, so a table takes 4 MB where a dense array
/// took 16 MB, and a worker loads it without zero-filling and faulting in the rest. (The n-gram
/// variant, whose columns are fixed when it is trained, keeps a `ScaledColumnTable`.)
///
/// An open-addressing hash table with linear probing: the capacity is a power of two, and the
/// table is never more than half full, so a lookup probes about 1.5 slots. A slot holds the key
/// `column + 1` (0 marks an empty slot) and the weight side by side in 16 aligned bytes, so
/// that a lookup reads one cache line where separate arrays would cost a miss each.
///
/// A column's home slot is its Fibonacci hash (`column × 2^64/φ`, the top bits), so columns of
/// any spread land evenly over the slots.
///
/// A column absent from the table has weight +0, exactly as an untouched entry of a dense array
/// has; a column stays in the table once added, with whatever bits the arithmetic gave it.
///
/// The slots live in a `ZeroedBuffer`, shared between copies until one of them changes.
struct WeightTable: Sendable {
    private var storage: ZeroedBuffer<Slot>
    /// Occupied slots.
    private(set) var count: Int
    /// The number of columns, as the vectorizer's `featureCount`.
    let featureCount: Int
    /// `64 − log2(capacity)`: a column's home slot is the top bits of its Fibonacci hash.
    private var homeShift: UInt64

    /// Slots of a table before anything is learned.
    static let minimumCapacity = 16

    /// An empty table with room for `expectedCount` columns before it grows.
    init(featureCount: Int, expectedCount: Int = 0) {
        precondition(featureCount > 0 && featureCount <= 1 << 31, "featureCount must be in 1...2^31")
        self.featureCount = featureCount
        let capacity = Self.capacity(for: min(expectedCount, featureCount))
        storage = ZeroedBuffer(count: capacity)
        count = 0
        homeShift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    /// A table of the columns `entries` passes to the `insert` it is given, with their weights,
    /// in one pass with no growth: loading a model, copying a dense array, growing. The columns
    /// must be distinct and at most `expectedCount`.
    init(
        featureCount: Int, expectedCount: Int,
        entries: (_ insert: (_ column: Int, _ weight: Double) -> Void) -> Void
    ) {
        self.init(featureCount: featureCount, expectedCount: expectedCount)
        let homeShift = homeShift
        let slots = storage.elements
        let limit = Self.maximumCount(capacity: slots.count)
        // The entries are placed in the order of their home slots, not as they come: the homes of
        // ascending columns are scattered over the table, and a table larger than the caches
        // filled at random takes a miss per entry. A counting sort on the homes' top 10 bits
        // makes the writes run front to back: 1,024 streams into the sorted copy, which the
        // caches follow, then each 1/1,024th of the table filled while it is cached.
        var pending: [Slot] = []
        pending.reserveCapacity(min(expectedCount, limit))
        entries { column, weight in
            precondition(pending.count < limit, "more columns than announced")
            pending.append(Slot(key: UInt32(column + 1), weight: weight))
        }
        let bucketShift = max(0, slots.count.trailingZeroBitCount - 10)
        var starts = [Int](repeating: 0, count: (slots.count >> bucketShift) + 1)
        for slot in pending { starts[Self.home(of: slot.key - 1, homeShift: homeShift) >> bucketShift + 1] += 1 }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        var ordered = [Slot](repeating: Slot(key: 0, weight: 0), count: pending.count)
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
        self.init(featureCount: dense.count, expectedCount: stored) { insert in
            for (column, weight) in dense.enumerated() where weight.bitPattern != 0 { insert(column, weight) }
        }
    }

    var capacity: Int { storage.elements.count }

    private var slots: UnsafeBufferPointer<Slot> { UnsafeBufferPointer(storage.elements) }

    /// Bytes the slots take.
    var memoryBytes: Int {
        capacity * MemoryLayout<Slot>.stride
    }

    /// Stored weights that are not 0 (learning can bring a stored weight back to 0).
    var nonzeroCount: Int {
        slots.reduce(0) { nonzero, slot in slot.key != 0 && slot.weight != 0 ? nonzero + 1 : nonzero }
    }

    /// The smallest power of two that holds `count` at most half full, and at least
    /// `minimumCapacity`.
    private static func capacity(for count: Int) -> Int {
        var capacity = minimumCapacity
        while maximumCount(capacity: capacity) < count { capacity *= 2 }
        return capacity
    }

    /// Half the slots: short probes for the many lookups of absent columns.
    private static func maximumCount(capacity: Int) -> Int {
        capacity / 2
    }

    /// The weight of `column`; +0 when the table does not hold it.
    func weight(ofColumn column: Int) -> Double {
        withExtendedLifetime(storage) {
            Self.weight(ofColumn: UInt32(column), slots: slots, homeShift: homeShift)
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
            let slots = storage.elements
            let mask = slots.count - 1
            for index in 0..<row.count {
                let increment = row.values[index] * step
                let key = row.columns[index] + 1
                var slot = Self.home(of: row.columns[index], homeShift: homeShift)
                while slots[slot].key != key && slots[slot].key != 0 { slot = (slot + 1) & mask }
                if slots[slot].key == key {
                    slots[slot].weight += increment
                } else if increment != 0 {
                    slots[slot] = Slot(key: key, weight: increment)
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
            let slots = storage.elements
            for slot in slots.indices { slots[slot].weight *= factor }
        }
    }

    /// Gives this table slots of its own before it changes them.
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Calls `body` with each stored column and its weight, columns ascending.
    func forEachInColumnOrder(_ body: (_ column: Int, _ weight: Double) throws -> Void) rethrows {
        // Column in the high half, slot in the low half: sorting sorts by column.
        var order: [UInt64] = []
        order.reserveCapacity(count)
        for (index, slot) in slots.enumerated() where slot.key != 0 {
            order.append(UInt64(slot.key - 1) << 32 | UInt64(index))
        }
        order.sort()
        for entry in order {
            let slot = slots[Int(entry & 0xFFFF_FFFF)]
            try body(Int(entry >> 32), slot.weight)
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
        guard count > Self.maximumCount(capacity: capacity) else { return }
        self = WeightTable(featureCount: featureCount, expectedCount: count) { insert in
            for slot in slots where slot.key != 0 { insert(Int(slot.key - 1), slot.weight) }
        }
    }

    /// Fibonacci hashing: the column times 2^64/φ, its top bits.
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
    /// A column and its weight: 16 bytes, so four slots fill a cache line and none straddles two.
    struct Slot {
        /// `column + 1`; 0 = empty.
        var key: UInt32
        var weight: Double
    }
}

extension WeightTable: Equatable {
    /// Equal when every column has an equal weight (`==` on doubles, as for dense arrays: +0 equals
    /// -0, NaN equals nothing), however the two tables are laid out.
    static func == (lhs: WeightTable, rhs: WeightTable) -> Bool {
        guard lhs.featureCount == rhs.featureCount else { return false }
        return lhs.agrees(with: rhs) && rhs.agrees(with: lhs)
    }

    /// Whether every column this table holds has the same weight in `other`.
    private func agrees(with other: WeightTable) -> Bool {
        slots.allSatisfy { slot in slot.key == 0 || slot.weight == other.weight(ofColumn: Int(slot.key - 1)) }
    }
}
