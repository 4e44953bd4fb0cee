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

    /// Whether `word` is a stop word.
    public func contains(_ word: String) -> Bool {
        // Empty bucket entries pack like an empty word; tokens are never empty.
        guard !word.isEmpty else { return false }
        let bytes = Array(word.utf8) + [UInt8](repeating: 0, count: 16)
        return bytes.withUnsafeBytes { table.contains(UnsafeRawBufferPointer(rebasing: $0[..<word.utf8.count])) }
    }

    /// 4-way buckets of packed words: a lookup hashes the token's 16 packed bytes to one bucket
    /// (one cache line) and compares all four entries without a branch, so whether a token is
    /// a stop word, a coin flip in running text, costs no mispredicted jump. A packed word is
    /// its UTF-8 zero-padded to 16 bytes; a token never holds a zero byte, so the padding also
    /// encodes the length. Allocated once and never mutated: shared freely between threads.
    private final class Table: @unchecked Sendable {
        private let entries: UnsafeMutableBufferPointer<UInt64>
        private let bucketMask: UInt64
        private let seed: UInt64
        /// Words longer than 16 bytes (none in the English list), compared the slow way.
        private let longWords: [[UInt8]]

        init(_ words: [String]) {
            let packed = words.map { Array($0.utf8) }.filter { $0.count <= 16 }.map { bytes -> (UInt64, UInt64) in
                let padded = bytes + [UInt8](repeating: 0, count: 16 - bytes.count)
                return padded.withUnsafeBytes { ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
            }
            longWords = words.map { Array($0.utf8) }.filter { $0.count > 16 }
            // Find a seed that puts at most 4 words in any bucket. With at most one word per
            // bucket on average, one of the first few seeds does; otherwise, more buckets.
            var bucketCount = 16
            while bucketCount < packed.count { bucketCount *= 2 }
            var seed: UInt64 = 0
            var attempts = 0
            while true {
                seed &+= 0x9E37_79B9_7F4A_7C15
                var fill = [Int](repeating: 0, count: bucketCount)
                for (low, high) in packed { fill[Self.bucket(low, high, seed, UInt64(bucketCount - 1))] += 1 }
                if fill.allSatisfy({ $0 <= 4 }) { break }
                attempts += 1
                if attempts % 64 == 0 { bucketCount *= 2 }
            }
            self.seed = seed
            bucketMask = UInt64(bucketCount - 1)
            entries = .allocate(capacity: bucketCount * 8)
            entries.initialize(repeating: 0)
            var fill = [Int](repeating: 0, count: bucketCount)
            for (low, high) in packed {
                let bucket = Self.bucket(low, high, seed, bucketMask)
                let entry = bucket * 8 + fill[bucket] * 2
                entries[entry] = low
                entries[entry + 1] = high
                fill[bucket] += 1
            }
        }

        deinit {
            entries.deallocate()
        }

        @inline(__always)
        func contains(_ token: UnsafeRawBufferPointer) -> Bool {
            let count = token.count
            guard count <= 16 else { return longWords.contains { $0.elementsEqual(token) } }
            let (low, high) = Self.pack(token, count: count)
            let entry = entries.baseAddress! + Self.bucket(low, high, seed, bucketMask) * 8
            // Arithmetic, not `||` or `?:`, which compile to branches: `d | -d` has its top bit
            // set exactly when `d != 0`.
            var misses: UInt64 = 1
            for way in 0..<4 {
                let difference = (entry[2 * way] ^ low) | (entry[2 * way + 1] ^ high)
                misses &= (difference | (0 &- difference)) >> 63
            }
            return misses == 0
        }

        /// The token's first 16 bytes as two little-endian integers, bytes past `count` zeroed.
        @inline(__always)
        private static func pack(_ token: UnsafeRawBufferPointer, count: Int) -> (UInt64, UInt64) {
            let base = token.baseAddress!
            let low = base.loadUnaligned(as: UInt64.self)
            let high = base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let lowBits = UInt64(min(count, 8) * 8)
            let highBits = UInt64(max(count - 8, 0) * 8)
            let lowMask: UInt64 = lowBits == 64 ? ~0 : (1 << lowBits) &- 1
            let highMask: UInt64 = highBits == 64 ? ~0 : (1 << highBits) &- 1
            return (low & lowMask, high & highMask)
        }

        @inline(__always)
        private static func bucket(_ low: UInt64, _ high: UInt64, _ seed: UInt64, _ mask: UInt64) -> Int {
            let mixed = (low &* 0xBF58_476D_1CE4_E5B9 ^ high ^ seed) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (mixed >> 32) & mask)
        }
    }
}
