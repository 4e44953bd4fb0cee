/// The hashing of `TermHashing.tokenKeys`: a token's bytes to a 64-bit key once, a term's key
/// its tokens' keys combined in order, a term's column from its key.
///
/// Frozen: a model's weights belong to the columns these functions give, so any change here
/// needs a new `TermHashing` case and a model file that records it (`TokenKeyTests` pins them).
enum TokenKey {
    /// The key of `count` bytes (at least 1) at `bytes`, which may be read 8 bytes from their
    /// start and 7 past their end: 8 bytes at a time, the last block masked to the bytes that are
    /// the token's, each block multiplied in (the length first, so that tokens of different
    /// lengths start apart), then MurmurHash3's 64-bit finaliser, so that every bit of the key
    /// depends on every byte.
    @inline(__always)
    static func key(of bytes: UnsafeRawPointer, count: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: count) &* lengthMultiplier
        var offset = 0
        while offset &+ 8 < count {
            h = absorb(h, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
            offset &+= 8
        }
        let tailBits = UInt64(truncatingIfNeeded: 8 &* (count &- offset))
        let tail = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian & (~0 &>> (64 &- tailBits))
        return finalize(absorb(h, tail))
    }

    /// The key of a marked token (`not_` and the word) from the key of its word: apart from the
    /// word's own key, as the two views need.
    @inline(__always)
    static func marked(_ word: UInt64) -> UInt64 {
        finalize(word ^ markConstant)
    }

    /// The key of a run of tokens with one more token: a polynomial in the tokens' keys (each
    /// earlier token's multiplied once more), so `a b` and `b a` differ.
    @inline(__always)
    static func combine(_ run: UInt64, _ token: UInt64) -> UInt64 {
        run &* combineMultiplier &+ token
    }

    /// A term's key multiplied by an odd constant: its high bits depend on every bit of the key
    /// (a polynomial's low bits depend only on its terms' low bits); the column is the top 22,
    /// and the low 32 tell two terms of one column apart.
    @inline(__always)
    static func spread(_ key: UInt64) -> UInt64 {
        key &* spreadMultiplier
    }

    /// The column in its block (unigrams and bigrams, or trigrams) of a term whose key spread is
    /// `spread`.
    @inline(__always)
    static func column(ofSpread spread: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: spread &>> UInt64(64 - NGramVectorizer.blockBits))
    }

    @inline(__always)
    private static func absorb(_ h: UInt64, _ block: UInt64) -> UInt64 {
        let product = (h ^ block) &* blockMultiplier
        return product ^ (product &>> 29)
    }

    /// MurmurHash3's `fmix64`.
    @inline(__always)
    private static func finalize(_ h: UInt64) -> UInt64 {
        var h = h
        h ^= h &>> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h &>> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h &>> 33
        return h
    }

    // Odd constants with their bits spread (the golden ratio's, and xxHash's 64-bit primes).
    private static let lengthMultiplier: UInt64 = 0x9e37_79b9_7f4a_7c15
    private static let blockMultiplier: UInt64 = 0xc2b2_ae3d_27d4_eb4f
    private static let markConstant: UInt64 = 0x1656_67b1_9e37_79f9
    private static let combineMultiplier: UInt64 = 0x85eb_ca77_c2b2_ae63
    private static let spreadMultiplier: UInt64 = 0x27d4_eb2f_1656_67c5
}
