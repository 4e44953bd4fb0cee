/// A set of words the tokenizer drops. The lookup runs on every token before it is hashed, so
/// it is built for speed: a word of up to 16 bytes is compared as two packed integers in a
/// small open-addressing table, with no call and no byte loop.
public struct StopWords: Sendable {
    /// The words, in the order given.
    public let words: [String]
    /// MurmurHash3 of the words, each followed by `\n`: stored in model files to tell which list
    /// a model was trained with.
    public let fingerprint: UInt32

    private let table: Table

    public init(_ words: [String]) {
        self.words = words
        fingerprint = UInt32(bitPattern: MurmurHash3.hash32(words.map { $0 + "\n" }.joined()))
        table = Table(words)
    }

    /// Whether `token` is a stop word. The 16 bytes at `token.baseAddress` must be readable
    /// (initialised) even when the token is shorter: the tokenizer's buffer guarantees it.
    @inline(__always)
    func contains(paddedToken token: UnsafeRawBufferPointer) -> Bool {
        table.contains(token)
    }

    /// Whether `token` is a stop word (any buffer).
    public func contains(_ token: UnsafeRawBufferPointer) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(token.count, 16)) { padded in
            padded.initialize(repeating: 0)
            _ = padded.initialize(from: token)
            return table.contains(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(padded)[..<token.count]))
        }
    }

    /// Allocated once and never mutated, so it is shared freely between threads.
    private final class Table: @unchecked Sendable {
        private struct Slot {
            var low: UInt64
            var high: UInt64
            var length: Int
        }

        private let slots: UnsafeMutableBufferPointer<Slot>
        private let mask: UInt64
        /// Words longer than 16 bytes (none in the English list), compared the slow way.
        private let longWords: [[UInt8]]

        init(_ words: [String]) {
            var size = 64
            while size < words.count * 4 { size *= 2 }
            mask = UInt64(size - 1)
            slots = .allocate(capacity: size)
            slots.initialize(repeating: Slot(low: 0, high: 0, length: -1))
            var longWords: [[UInt8]] = []
            for word in words {
                let bytes = Array(word.utf8)
                guard bytes.count <= 16 else {
                    longWords.append(bytes)
                    continue
                }
                let (low, high) = bytes.withUnsafeBytes { buffer in
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { padded in
                        padded.initialize(repeating: 0)
                        _ = padded.initialize(from: buffer)
                        return Self.pack(UnsafeRawBufferPointer(padded), count: bytes.count)
                    }
                }
                var slot = Self.slot(low, high, bytes.count, mask)
                while slots[slot].length >= 0 { slot = (slot + 1) & Int(mask) }
                slots[slot] = Slot(low: low, high: high, length: bytes.count)
            }
            self.longWords = longWords
        }

        deinit {
            slots.deallocate()
        }

        @inline(__always)
        func contains(_ token: UnsafeRawBufferPointer) -> Bool {
            let count = token.count
            guard count <= 16 else { return longWords.contains { $0.elementsEqual(token) } }
            let (low, high) = Self.pack(token, count: count)
            var slot = Self.slot(low, high, count, mask)
            while true {
                let entry = slots[slot]
                if entry.length < 0 { return false }
                if entry.low == low && entry.high == high && entry.length == count { return true }
                slot = (slot + 1) & Int(mask)
            }
        }

        /// The token's first 16 bytes as two little-endian integers, bytes past `count` zeroed.
        @inline(__always)
        private static func pack(_ token: UnsafeRawBufferPointer, count: Int) -> (UInt64, UInt64) {
            let base = token.baseAddress!
            let low = base.loadUnaligned(as: UInt64.self)
            let high = base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let lowMask: UInt64 = count >= 8 ? ~0 : (1 << UInt64(count * 8)) &- 1
            let highMask: UInt64 = count >= 16 ? ~0 : count <= 8 ? 0 : (1 << UInt64((count - 8) * 8)) &- 1
            return (low & lowMask, high & highMask)
        }

        @inline(__always)
        private static func slot(_ low: UInt64, _ high: UInt64, _ count: Int, _ mask: UInt64) -> Int {
            let mixed = (low ^ (high &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(count)) &* 0xBF58_476D_1CE4_E5B9
            return Int(truncatingIfNeeded: (mixed >> 40) & mask)
        }
    }
}
