/// Sorts one review's feature keys (`column << 1 | sign`) by column, in place and without a
/// heap allocation. Columns are hash values, spread evenly over their range, so one counting
/// pass on their top bits (about one bucket per key) leaves the keys nearly sorted, and an
/// insertion sort, linear on nearly sorted input, finishes the job: a few times faster than a
/// comparison sort on the hundred-odd keys of a review. Keys of one column may come out in any
/// order: their signs are summed.
enum ColumnSort {
    /// Returns the sorted keys: `scratch`'s first `keys.count` elements once there are 32 keys
    /// or more (the counting pass scatters into it, and the keys are not copied back), else
    /// `keys`, sorted in place. `scratch` must hold at least `keys.count` elements;
    /// `columnBits` is the number of significant bits of the largest column.
    static func sort(
        _ keys: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>, columnBits: Int
    ) -> UnsafeMutableBufferPointer<UInt64> {
        let count = keys.count
        guard count >= 32 else {
            insertionSort(keys)
            return keys
        }
        var bucketBits = 0
        while 1 << bucketBits < count && bucketBits < columnBits { bucketBits += 1 }
        let shift = UInt64(1 + columnBits - bucketBits)
        // 32-bit starts, as `sortStably`'s: half the bytes to clear for the thousand-odd
        // buckets of a review.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1 << bucketBits) { starts in
            starts.initialize(repeating: 0)
            for key in keys { starts[Int(truncatingIfNeeded: key >> shift)] &+= 1 }
            exclusivePrefixSums(starts)
            for key in keys {
                let bucket = Int(truncatingIfNeeded: key >> shift)
                scratch[Int(starts[bucket])] = key
                starts[bucket] &+= 1
            }
        }
        let sorted = UnsafeMutableBufferPointer(rebasing: scratch[..<count])
        insertionSort(sorted)
        return sorted
    }

    /// Replaces each bucket's count with the sum of the counts before it (where its keys
    /// start), the running sum kept in a register: summed in place, each bucket would wait for
    /// the store of the one before it.
    @inline(__always)
    private static func exclusivePrefixSums(_ counts: UnsafeMutableBufferPointer<UInt32>) {
        var sum: UInt32 = 0
        for bucket in counts.indices {
            let count = counts[bucket]
            counts[bucket] = sum
            sum &+= count
        }
    }

    private static func insertionSort(_ keys: UnsafeMutableBufferPointer<UInt64>) {
        guard keys.count > 1 else { return }
        for index in 1..<keys.count {
            let key = keys[index]
            var position = index
            while position > 0 && keys[position - 1] >> 1 > key >> 1 {
                keys[position] = keys[position - 1]
                position -= 1
            }
            keys[position] = key
        }
    }

    /// Sorts `items` by `key`, stably (items of equal keys keep their order), in the same two
    /// steps: a counting pass on the keys' top bits, then an insertion sort. `keyBits` is the
    /// number of significant bits of the keys, which must be spread evenly below `2^keyBits`;
    /// `scratch` must hold at least `items.count` items.
    @inline(__always)
    static func sortStably<Item>(
        _ items: UnsafeMutableBufferPointer<Item>, scratch: UnsafeMutableBufferPointer<Item>, keyBits: Int, by key: (Item) -> UInt64
    ) {
        let count = items.count
        if count >= 32 {
            var bucketBits = 0
            while 1 << bucketBits < count && bucketBits < keyBits { bucketBits += 1 }
            let shift = UInt64(keyBits - bucketBits)
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 1 << bucketBits) { starts in
                starts.initialize(repeating: 0)
                for item in items { starts[Int(truncatingIfNeeded: key(item) >> shift)] &+= 1 }
                exclusivePrefixSums(starts)
                for item in items {
                    let bucket = Int(truncatingIfNeeded: key(item) >> shift)
                    scratch.baseAddress!.advanced(by: Int(starts[bucket])).initialize(to: item)
                    starts[bucket] &+= 1
                }
            }
            items.baseAddress!.update(from: scratch.baseAddress!, count: count)
        }
        guard count > 1 else { return }
        for index in 1..<count {
            let item = items[index]
            let itemKey = key(item)
            var position = index
            while position > 0 && key(items[position - 1]) > itemKey {
                items[position] = items[position - 1]
                position -= 1
            }
            items[position] = item
        }
    }
}
