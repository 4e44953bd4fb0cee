/// The raw weights of a model, holding only the columns learning has touched: a trained book
/// model has about 100,000 of its 2^21 columns, so a table takes 3 MB where a dense array took
/// 16 MB, and a worker loads it without zero-filling and faulting in the rest.
///
/// An open-addressing hash table with linear probing: the capacity is a power of two, and the
/// table is never more than half full, so a lookup probes about 1.5 slots. A slot holds the key
/// `column + 1` (0 marks an empty slot) and the weight side by side, so that a lookup reads one
/// cache line where separate key and weight arrays would cost two misses.
///
/// A column's home slot is the column scaled to the capacity, `column × capacity / featureCount`.
/// The hashing vectorizer's columns are MurmurHash3 values, spread evenly over `0..<featureCount`,
/// so the home slots are spread as evenly as any hash would spread them; and since the mapping
/// keeps the columns' order, the table is read and written front to back when a model is loaded
/// (its columns ascend) and comes out nearly in column order when it is saved.
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
    /// `capacity × 2^32 / featureCount`: a column's home slot is `column × homeMultiplier >> 32`.
    private var homeMultiplier: UInt64

    /// Slots of a table before anything is learned.
    static let minimumCapacity = 16

    /// An empty table with room for `expectedCount` columns before it grows.
    init(featureCount: Int, expectedCount: Int = 0) {
        precondition(featureCount > 0 && featureCount <= 1 << 31, "featureCount must be in 1...2^31")
        self.featureCount = featureCount
        let capacity = Self.capacity(for: min(expectedCount, featureCount))
        storage = SlotStorage(capacity: capacity)
        count = 0
        homeMultiplier = Self.homeMultiplier(capacity: capacity, featureCount: featureCount)
    }

    /// A table of the columns `entries` passes to the `insert` it is given, in one pass with no
    /// growth: loading a model, copying a dense array, growing. The columns must be distinct and
    /// at most `expectedCount`.
    init(featureCount: Int, expectedCount: Int, entries: (_ insert: (_ column: Int, _ weight: Double) -> Void) -> Void) {
        self.init(featureCount: featureCount, expectedCount: expectedCount)
        let homeMultiplier = homeMultiplier
        let slots = storage.slots
        var count = 0
        entries { column, weight in
            precondition(2 * (count + 1) <= slots.count, "more columns than announced")
            let mask = slots.count - 1
            var slot = Self.home(of: UInt32(column), homeMultiplier: homeMultiplier)
            while slots[slot].key != 0 { slot = (slot + 1) & mask }
            slots[slot] = Slot(key: UInt32(column + 1), weight: weight)
            count += 1
        }
        self.count = count
    }

    /// The table of a dense weight array: every entry but +0 (a -0 keeps its sign).
    init(dense: [Double]) {
        let stored = dense.reduce(0) { $1.bitPattern != 0 ? $0 + 1 : $0 }
        self.init(featureCount: dense.count, expectedCount: stored) { insert in
            for (column, weight) in dense.enumerated() where weight.bitPattern != 0 { insert(column, weight) }
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

    /// The smallest power of two at least twice `count`, and at least `minimumCapacity`.
    private static func capacity(for count: Int) -> Int {
        var capacity = minimumCapacity
        while capacity < 2 * count { capacity *= 2 }
        return capacity
    }

    private static func homeMultiplier(capacity: Int, featureCount: Int) -> UInt64 {
        let scaled = (high: UInt64(capacity) >> 32, low: UInt64(capacity) << 32)
        return UInt64(featureCount).dividingFullWidth(scaled).quotient
    }

    /// The weight of `column`; +0 when the table does not hold it.
    func weight(ofColumn column: Int) -> Double {
        withExtendedLifetime(storage) {
            Self.weight(ofColumn: UInt32(column), slots: slots, homeMultiplier: homeMultiplier)
        }
    }

    /// `Σ weight(column) × value` over the row, in the row's order: the same arithmetic, rounding
    /// for rounding, as over a dense array, where a missing column reads +0.
    func dot(_ row: SparseRow) -> Double {
        withExtendedLifetime(storage) {
            let slots = slots
            var product = 0.0
            for index in 0..<row.count {
                let weight = Self.weight(ofColumn: row.columns[index], slots: slots, homeMultiplier: homeMultiplier)
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
        let homeMultiplier = homeMultiplier
        var added = 0
        withExtendedLifetime(storage) {
            let slots = storage.slots
            let mask = slots.count - 1
            for index in 0..<row.count {
                let increment = row.values[index] * step
                let key = row.columns[index] + 1
                var slot = Self.home(of: row.columns[index], homeMultiplier: homeMultiplier)
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
            let slots = storage.slots
            for slot in slots.indices { slots[slot].weight *= factor }
        }
    }

    /// Gives this table slots of its own before it changes them.
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Calls `body` with each stored column and its weight, columns ascending.
    func forEachInColumnOrder(_ body: (_ column: Int, _ weight: Double) throws -> Void) rethrows {
        // Column in the high half, slot in the low half: sorting sorts by column. The slots are
        // nearly in column order already, which the standard library's merge sort exploits.
        var order: [UInt64] = []
        order.reserveCapacity(count)
        for (index, slot) in slots.enumerated() where slot.key != 0 {
            order.append(UInt64(slot.key - 1) << 32 | UInt64(index))
        }
        order.sort()
        for entry in order {
            try body(Int(entry >> 32), slots[Int(entry & 0xFFFF_FFFF)].weight)
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

    /// Makes room for `count` columns at most half filling the table. Growing moves every column
    /// to a table of twice the capacity, in slot order, so nearly front to back.
    private mutating func reserve(_ count: Int) {
        let count = min(count, featureCount)
        guard 2 * count > capacity else { return }
        self = WeightTable(featureCount: featureCount, expectedCount: count) { insert in
            for slot in slots where slot.key != 0 { insert(Int(slot.key - 1), slot.weight) }
        }
    }

    /// `column × capacity / featureCount`, rounded down, so below the capacity. The product does
    /// not overflow: the capacity is at most 2^32, as a table holds at most `featureCount` ≤ 2^31
    /// columns.
    @inline(__always)
    private static func home(of column: UInt32, homeMultiplier: UInt64) -> Int {
        Int(truncatingIfNeeded: (UInt64(column) &* homeMultiplier) >> 32)
    }

    @inline(__always)
    private static func weight(
        ofColumn column: UInt32, slots: UnsafeBufferPointer<Slot>, homeMultiplier: UInt64
    ) -> Double {
        let key = column + 1
        let mask = slots.count - 1
        var slot = home(of: column, homeMultiplier: homeMultiplier)
        while true {
            let found = slots[slot].key
            if found == key { return slots[slot].weight }
            if found == 0 { return 0 }
            slot = (slot + 1) & mask
        }
    }
}

extension WeightTable {
    /// A column and its weight. The weight is kept as two 32-bit halves so that a slot takes 12
    /// bytes, not 16 with padding; the compiler reads the halves with one load.
    struct Slot {
        /// `column + 1`; 0 = empty.
        var key: UInt32
        private var weightLow: UInt32
        private var weightHigh: UInt32

        init(key: UInt32, weight: Double) {
            self.key = key
            weightLow = UInt32(truncatingIfNeeded: weight.bitPattern)
            weightHigh = UInt32(truncatingIfNeeded: weight.bitPattern >> 32)
        }

        var weight: Double {
            get { Double(bitPattern: UInt64(weightHigh) << 32 | UInt64(weightLow)) }
            set { self = Slot(key: key, weight: newValue) }
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

    /// Whether every column this table holds has the same weight in `other`.
    private func agrees(with other: WeightTable) -> Bool {
        slots.allSatisfy { slot in
            slot.key == 0 || slot.weight == other.weight(ofColumn: Int(slot.key - 1))
        }
    }
}
