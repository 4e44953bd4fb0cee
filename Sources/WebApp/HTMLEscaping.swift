import Mustache

/// Mustache's HTML escaping (the same five replacements: `< > & " '`), on UTF-8 bytes: the
/// library's own looks each Character up in a dictionary, which made escaping a 1,200-character
/// review the largest cost of a results page. Text with nothing to escape is returned as is.
struct HTMLEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String {
        guard text.utf8.contains(where: Self.needsEscaping) else { return text }
        var text = text
        return text.withUTF8 { bytes in
            var escaped: [UInt8] = []
            escaped.reserveCapacity(bytes.count + bytes.count / 8)
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "<"): escaped += Array("&lt;".utf8)
                case UInt8(ascii: ">"): escaped += Array("&gt;".utf8)
                case UInt8(ascii: "&"): escaped += Array("&amp;".utf8)
                case UInt8(ascii: "\""): escaped += Array("&quot;".utf8)
                case UInt8(ascii: "'"): escaped += Array("&#39;".utf8)
                default: escaped.append(byte)
                }
            }
            return String(decoding: escaped, as: UTF8.self)
        }
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
