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
