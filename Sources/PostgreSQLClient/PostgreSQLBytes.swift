/// Binary values (`bytea`) in PostgreSQL's text format, as this client sends and reads every
/// value: `\x` and two hex digits a byte (the server's `bytea_output = hex`, its default since
/// 9.0). Twice the bytes on the wire, in exchange for one format for every value; a model
/// file of a few megabytes crosses it once per version.
public enum PostgreSQLBytes {
    /// `bytes` as a parameter for a `$n::bytea`.
    public static func literal(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8](repeating: 0, count: 2 + 2 * bytes.count)
        text[0] = UInt8(ascii: "\\")
        text[1] = UInt8(ascii: "x")
        for (index, byte) in bytes.enumerated() {
            text[2 + 2 * index] = digits[Int(byte >> 4)]
            text[3 + 2 * index] = digits[Int(byte & 0xF)]
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of a `bytea` value as the server writes it; nil for anything else (the
    /// `escape` format of a server configured with `bytea_output = escape`, odd digits).
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { utf8 -> [UInt8]? in
            guard utf8.count >= 2, utf8.count % 2 == 0, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x") else { return nil }
            var bytes = [UInt8](repeating: 0, count: (utf8.count - 2) / 2)
            for index in bytes.indices {
                guard let high = nibble(utf8[2 + 2 * index]), let low = nibble(utf8[3 + 2 * index]) else { return nil }
                bytes[index] = high << 4 | low
            }
            return bytes
        }
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
