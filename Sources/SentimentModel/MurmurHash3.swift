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
    @inlinable @inline(__always)
    public static func hash32Unsigned(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
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

    /// Convenience for tests and tools: the hash of a string's UTF-8 bytes.
    public static func hash32(_ string: String, seed: UInt32 = 0) -> Int32 {
        var copy = string
        return copy.withUTF8 { hash32(UnsafeRawBufferPointer($0), seed: seed) }
    }
}
