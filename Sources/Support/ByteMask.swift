/// Byte tests on eight bytes at once in a `UInt64`, for the passes over a request's bytes
/// (form decoding, HTML escaping) that would otherwise look at each byte in turn.
package enum ByteMask {
    /// The high bit of each byte of `x` that equals `byte`, exactly (no borrow from one byte
    /// to the next): `(v & 0x7F…) + 0x7F…` sets a byte's high bit unless its low seven bits
    /// are 0, and `| v` sets it unless its own high bit is 0, so a byte of `v = x ^ byte×0x01…`
    /// keeps its high bit clear exactly where it is 0.
    @inline(__always)
    package static func matches(_ x: UInt64, _ byte: UInt8) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let v = x ^ 0x0101_0101_0101_0101 &* UInt64(byte)
        return ~((v & low) &+ low | v | low)
    }

    /// How many bytes a mask of `matches` marks, without a `popcnt` (which the default x86-64
    /// target lacks): the marks moved to each byte's low bit and summed by one multiply.
    @inline(__always)
    package static func count(_ mask: UInt64) -> Int {
        Int(truncatingIfNeeded: ((mask >> 7) &* 0x0101_0101_0101_0101) >> 56)
    }

    /// Eight bytes of a form body decoded at once (`+` made a space), or nil when they hold a
    /// `%`, `&` or `=`, which only a byte-by-byte look can decode.
    package static func decodedFormBlock(_ x: UInt64) -> UInt64? {
        guard matches(x, UInt8(ascii: "%")) | matches(x, UInt8(ascii: "&")) | matches(x, UInt8(ascii: "=")) == 0 else { return nil }
        return x ^ (matches(x, UInt8(ascii: "+")) >> 7) &* UInt64(UInt8(ascii: "+") ^ UInt8(ascii: " "))
    }
}
