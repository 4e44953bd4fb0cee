/// MurmurHash3, x86 32-bit variant: the hash scikit-learn's `HashingVectorizer` uses
/// (`sklearn.utils.murmurhash3_32` on a token's UTF-8 bytes). Bit-exact with the reference
/// implementation so that a model trained by scikit-learn can be imported column for column.
public enum MurmurHash3 {
    /// The signed 32-bit hash of `bytes`, as scikit-learn reports it (`positive=False`).
    @inlinable @inline(__always)
    public static func hash32(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> Int32 {
        Int32(bitPattern: hash32Unsigned(bytes, seed: seed))
    }

    /// The unsigned form of the same hash.
    @usableFromInline @inline(__always)
    static func hash32Unsigned(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        let c1: UInt32 = 0xcc9e_2d51
        let c2: UInt32 = 0x1b87_3593
        let count = bytes.count
        let blockCount = count / 4
        var h = seed
        for block in 0..<blockCount {
            var k = bytes.loadUnaligned(fromByteOffset: block &* 4, as: UInt32.self).littleEndian
            k &*= c1
            k = (k << 15) | (k >> 17)
            k &*= c2
            h ^= k
            h = (h << 13) | (h >> 19)
            h = h &* 5 &+ 0xe654_6b64
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
            k &*= c1
            k = (k << 15) | (k >> 17)
            k &*= c2
            h ^= k
        default:
            break
        }
        h ^= UInt32(truncatingIfNeeded: count)
        h ^= h >> 16
        h &*= 0x85eb_ca6b
        h ^= h >> 13
        h &*= 0xc2b2_ae35
        h ^= h >> 16
        return h
    }

    /// The same hash for a key of at most 16 bytes whose buffer may be read 20 bytes from its
    /// start: a fixed sequence of operations, with no branch on the length, for the tokenizer's
    /// hot path (short tokens of unpredictable length).
    @inline(__always)
    static func hash32(padded key: UnsafeRawPointer, count: Int) -> Int32 {
        let c1: UInt32 = 0xcc9e_2d51
        let c2: UInt32 = 0x1b87_3593
        @inline(__always) func mix(_ k: UInt32) -> UInt32 {
            let k = k &* c1
            return ((k << 15) | (k >> 17)) &* c2
        }
        let blocks = count >> 2
        var h: UInt32 = 0
        for block in 0..<4 {
            let mixed = h ^ mix(key.loadUnaligned(fromByteOffset: block * 4, as: UInt32.self).littleEndian)
            let next = ((mixed << 13) | (mixed >> 19)) &* 5 &+ 0xe654_6b64
            h = block < blocks ? next : h
        }
        // The tail's bytes, masked; a zero tail mixes to zero and leaves h unchanged.
        let tailBits = UInt32((count & 3) * 8)
        let tailMask: UInt32 = (1 << tailBits) &- 1
        h ^= mix(key.loadUnaligned(fromByteOffset: blocks * 4, as: UInt32.self).littleEndian & tailMask)
        h ^= UInt32(truncatingIfNeeded: count)
        h ^= h >> 16
        h &*= 0x85eb_ca6b
        h ^= h >> 13
        h &*= 0xc2b2_ae35
        h ^= h >> 16
        return Int32(bitPattern: h)
    }

    /// Convenience for tests and tools: the hash of a string's UTF-8 bytes.
    public static func hash32(_ string: String, seed: UInt32 = 0) -> Int32 {
        var copy = string
        return copy.withUTF8 { hash32(UnsafeRawBufferPointer($0), seed: seed) }
    }
}
