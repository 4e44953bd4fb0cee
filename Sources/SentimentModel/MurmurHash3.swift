/// MurmurHash3, x86 32-bit variant: the hash scikit-learn's `HashingVectorizer` uses
/// (`sklearn.utils.murmurhash3_32` on a token's UTF-8 bytes). Bit-exact with the reference
/// implementation so that a model trained by scikit-learn can be imported column for column.
public enum MurmurHash3 {
    /// The signed 32-bit hash of `bytes`, as scikit-learn reports it (`positive=False`).
    @inlinable @inline(__always)
    public static func hash32(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> Int32 {
        let count = bytes.count
        let blockCount = count / 4
        var h = seed
        for block in 0..<blockCount {
            h = mixIntoHash(h, mixBlock(bytes.loadUnaligned(fromByteOffset: block &* 4, as: UInt32.self).littleEndian))
        }
        let tail = blockCount &* 4
        var k: UInt32 = 0
        switch count & 3 {
        case 3:
            k ^= UInt32(bytes[tail &+ 2]) << 16
            fallthrough
        case 2:
            k ^= UInt32(bytes[tail &+ 1]) << 8
            fallthrough
        case 1:
            k ^= UInt32(bytes[tail])
            h ^= mixBlock(k)
        default:
            break
        }
        return finalize(h, count: count)
    }

    /// Convenience for tests and tools: the hash of a string's UTF-8 bytes.
    public static func hash32(_ string: String, seed: UInt32 = 0) -> Int32 {
        var copy = string
        return copy.withUTF8 { hash32(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// The same hash (seed 0) for a key of at most 16 bytes whose buffer may be read 20 bytes
    /// from its start: a fixed sequence of operations, with no branch on the length, for the
    /// tokenizer's hot path (short tokens of unpredictable length, where the reference's switch
    /// on the length compiles to a mispredicted jump table).
    @inline(__always)
    static func hash32(padded key: UnsafeRawPointer, count: Int) -> Int32 {
        let blocks = count >> 2
        var h: UInt32 = 0
        for block in 0..<4 {
            let next = mixIntoHash(h, mixBlock(key.loadUnaligned(fromByteOffset: block * 4, as: UInt32.self).littleEndian))
            h = block < blocks ? next : h
        }
        // The tail's bytes, masked; a zero tail mixes to zero and leaves h unchanged.
        let tailMask: UInt32 = (1 << UInt32((count & 3) * 8)) &- 1
        h ^= mixBlock(key.loadUnaligned(fromByteOffset: blocks * 4, as: UInt32.self).littleEndian & tailMask)
        return finalize(h, count: count)
    }

    /// The hash of bytes that arrive in pieces, such as the words of an n-gram and the spaces
    /// between them: the state after the whole 4-byte blocks so far and the up to 3 bytes
    /// pending. The hash consumes its blocks in order, so an n-gram's hash is its (n−1)-gram's
    /// state carried on, and no term need be copied whole nor hashed from its start.
    struct Running {
        private var h: UInt32 = 0
        /// The pending bytes, the first in the lowest bits, and how many bits they take (0, 8,
        /// 16 or 24).
        private var pending: UInt64 = 0
        private var pendingBits: UInt64 = 0
        /// Bytes appended.
        private(set) var count = 0

        init() {}

        /// Appends the `count` bytes (at least 1) at `bytes`, after a space when `spaced`.
        /// `bytes` may be read 8 bytes from its start and 3 past its end.
        @inline(__always)
        mutating func append(_ bytes: UnsafeRawPointer, count: Int, spaced: Bool) {
            let length = spaced ? count &+ 1 : count
            if length <= 8 {
                // The common short word: it and the pending bytes fill at most two blocks, mixed
                // with no branch on the lengths, which vary from word to word and would be
                // mispredicted; the blocks not filled are computed and not kept.
                var word = bytes.loadUnaligned(as: UInt64.self).littleEndian & (~0 &>> UInt64(truncatingIfNeeded: 64 &- 8 &* count))
                if spaced { word = word << 8 | UInt64(UInt8(ascii: " ")) }
                let low = pending | word &<< pendingBits
                let high = pendingBits == 0 ? 0 : word &>> (64 &- pendingBits)
                let bits = pendingBits &+ UInt64(truncatingIfNeeded: 8 &* length)
                let first = mixIntoHash(h, mixBlock(UInt32(truncatingIfNeeded: low)))
                let second = mixIntoHash(first, mixBlock(UInt32(truncatingIfNeeded: low >> 32)))
                h = bits >= 64 ? second : bits >= 32 ? first : h
                pending = bits >= 64 ? high : bits >= 32 ? low >> 32 : low
                pendingBits = bits & 31
                self.count &+= length
                return
            }
            if spaced { append(UInt8(ascii: " ")) }
            var offset = 0
            while offset &+ 4 <= count {
                pending |= UInt64(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian) << pendingBits
                consumeBlock()
                offset &+= 4
            }
            let rest = count &- offset
            if rest > 0 {
                let tailMask: UInt32 = (1 << UInt32(truncatingIfNeeded: rest &* 8)) &- 1
                pending |= UInt64(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian & tailMask) << pendingBits
                pendingBits &+= UInt64(truncatingIfNeeded: rest &* 8)
                if pendingBits >= 32 {
                    consumeBlock()
                    pendingBits &-= 32
                }
            }
            self.count &+= count
        }

        /// Appends one byte.
        @inline(__always)
        private mutating func append(_ byte: UInt8) {
            pending |= UInt64(byte) << pendingBits
            pendingBits &+= 8
            if pendingBits == 32 {
                consumeBlock()
                pendingBits = 0
            }
            count &+= 1
        }

        /// Mixes the low 4 pending bytes into the state.
        @inline(__always)
        private mutating func consumeBlock() {
            h = mixIntoHash(h, mixBlock(UInt32(truncatingIfNeeded: pending)))
            pending >>= 32
        }

        /// The hash of the bytes appended, as `hash32` gives it (seed 0). The pending bytes are
        /// the tail; none mixes to 0 and leaves the state as the reference does.
        @inline(__always)
        var hash: Int32 {
            finalize(h ^ mixBlock(UInt32(truncatingIfNeeded: pending)), count: count)
        }
    }

    @usableFromInline @inline(__always)
    static func mixBlock(_ k: UInt32) -> UInt32 {
        let k = k &* 0xcc9e_2d51
        return ((k << 15) | (k >> 17)) &* 0x1b87_3593
    }

    @usableFromInline @inline(__always)
    static func mixIntoHash(_ h: UInt32, _ k: UInt32) -> UInt32 {
        let h = h ^ k
        return ((h << 13) | (h >> 19)) &* 5 &+ 0xe654_6b64
    }

    @usableFromInline @inline(__always)
    static func finalize(_ h: UInt32, count: Int) -> Int32 {
        var h = h ^ UInt32(truncatingIfNeeded: count)
        h ^= h >> 16
        h &*= 0x85eb_ca6b
        h ^= h >> 13
        h &*= 0xc2b2_ae35
        h ^= h >> 16
        return Int32(bitPattern: h)
    }
}
