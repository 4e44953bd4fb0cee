/// Byte classes for the ASCII fast path: plain arithmetic, no table, so the hot loop touches
/// no global state.
enum ASCIIClass {
    /// `[0-9A-Za-z_]`, Python's `\w` restricted to ASCII.
    @inline(__always)
    static func isWord(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "_")
    }

    /// The byte lowercased (`A`–`Z` only; other bytes unchanged).
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }
}
