/// Byte tests on 8 bytes at once in a `UInt64` ("SIMD within a register"). With each byte's high
/// bit masked off, `byte + (0x80 - c)` cannot carry into the next byte and has its high bit set
/// exactly when `byte >= c`, so a range test is two additions and a few masks.
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// High bit of each byte set where the (7-bit) byte is `>= c`.
    @inline(__always)
    static func atLeast(_ c: UInt64, _ low: UInt64) -> UInt64 {
        (low &+ ones &* (0x80 - c)) & highBits
    }

    /// No byte needs the tokenizer's attention: all ASCII, none of `:;<=` (0x3A–0x3D).
    @inline(__always)
    static func isPlain(_ x: UInt64) -> Bool {
        x & highBits == 0 && atLeast(0x3A, x) & ~atLeast(0x3E, x) == 0
    }

    /// ASCII `A`–`Z` lowercased, other bytes unchanged (all bytes below 0x80).
    @inline(__always)
    static func lowercased(_ x: UInt64) -> UInt64 {
        x | (atLeast(0x41, x) & ~atLeast(0x5B, x)) >> 2
    }

    /// High bit of each byte set where the byte is an ASCII letter or digit, for any bytes: the
    /// high bits are masked off before the range tests, so no test carries into the next byte.
    @inline(__always)
    static func alphanumerics(_ x: UInt64) -> UInt64 {
        let low = x & ~highBits
        let digit = atLeast(0x30, low) & ~atLeast(0x3A, low)
        // `| 0x20` takes `A`–`Z` onto `a`–`z` and nothing else into that range.
        let folded = low | ones &* 0x20
        let letter = atLeast(0x61, folded) & ~atLeast(0x7B, folded)
        return (digit | letter) & ~x
    }

    /// The word bytes of the cleaned text among 8 (`[0-9a-z_]` or any byte >= 0x80), as the
    /// low 8 bits, gathered from the bytes' high bits by one multiply.
    @inline(__always)
    static func wordBits(_ x: UInt64) -> UInt64 {
        let nonASCII = x & highBits
        let low = x & ~highBits
        let digit = atLeast(0x30, low) & ~atLeast(0x3A, low)
        let letter = atLeast(0x61, low) & ~atLeast(0x7B, low)
        let underscore = atLeast(0x5F, low) & ~atLeast(0x60, low)
        let word = nonASCII | ((digit | letter | underscore) & ~nonASCII)
        return ((word >> 7) &* 0x0102_0408_1020_4080) >> 56
    }
}
