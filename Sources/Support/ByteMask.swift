/// Byte tests on eight bytes at once in a `UInt64`, for the passes over a request's bytes
/// (form decoding, HTML escaping, JSON strings) that would otherwise look at each byte in turn.
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

    /// The high bit of each byte of `x` below 0x20 (a control character), exactly: a byte
    /// whose high bit is clear has `(byte & 0x7F) + 0x60` reach 0x80 exactly when it is at
    /// least 0x20, with no carry out of the byte.
    @inline(__always)
    package static func controls(_ x: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        return ~((x & ~high) &+ 0x6060_6060_6060_6060 | x) & high
    }

    /// Where the last `byte` of `bytes` is, eight bytes at a time from the end (nil if none).
    /// One call a text, so that the mask is inlined into its loop.
    package static func lastIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var end = bytes.count
        if let base = bytes.baseAddress {
            while end >= 8 {
                let mask = matches(UnsafeRawPointer(base + end - 8).loadUnaligned(as: UInt64.self), byte)
                // The highest mark is the last byte (little-endian).
                if mask != 0 { return end - 8 + (63 - mask.leadingZeroBitCount) / 8 }
                end -= 8
            }
        }
        while end > 0 {
            end -= 1
            if bytes[end] == byte { return end }
        }
        return nil
    }

    /// Where the first block of eight bytes from `start` that holds a `"`, a `\` or a control
    /// character starts (or the last whole block ends): the bytes of a JSON string before it
    /// need no look. One call a string, so that the masks are inlined into its loop.
    package static func endOfPlainJSONStringBlocks(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var position = start
        while bytes.count - position >= 8 {
            let block = UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt64.self)
            guard matches(block, UInt8(ascii: "\"")) | matches(block, UInt8(ascii: "\\")) | controls(block) == 0 else { break }
            position += 8
        }
        return position
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
