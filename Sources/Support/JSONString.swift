/// JSON string literals, written as Foundation's `JSONEncoder` writes them (with
/// `.withoutEscapingSlashes`): `"` and `\` escaped, control characters as `\n`, `\t`... or
/// `\u00XX`, the rest of UTF-8 as it is. The API's answers, the status page and the admin
/// tool's JSON lines all write their strings through it.
package enum JSONString {
    /// Appends `text` as a quoted JSON string; runs without anything to escape are copied whole.
    package static func append(_ text: String, quotedTo output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var contiguous = text
        contiguous.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
                case 0x0A: output.append(contentsOf: "\\n".utf8)
                case 0x0D: output.append(contentsOf: "\\r".utf8)
                case 0x09: output.append(contentsOf: "\\t".utf8)
                case 0x08: output.append(contentsOf: "\\b".utf8)
                case 0x0C: output.append(contentsOf: "\\f".utf8)
                default:
                    let digits = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: "\\u00".utf8)
                    output.append(digits[Int(byte >> 4)])
                    output.append(digits[Int(byte & 0xF)])
                }
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// `text` as a quoted JSON string.
    package static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        append(text, quotedTo: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
