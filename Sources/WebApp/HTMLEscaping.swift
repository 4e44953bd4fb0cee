import Mustache

/// HTML escaping for the pages: `< > & " '` replaced, on UTF-8 bytes.
///
/// The library's own escaper compares Characters, so a quote followed by a combining mark
/// (`"\u{301}`, one Character) is not escaped and ends an attribute value early; and it
/// looks each Character up in a dictionary, which made escaping a 1,200-character review the
/// largest cost of a results page. Text with nothing to escape is returned as is.
struct HTMLEscaping: MustacheContentType {
    /// The name templates are compiled with (`{{% CONTENT_TYPE: name}}`); a name of its own, so
    /// the library's `HTML` stays as it is for anyone else in the process.
    static let name = "MOVIECLASSIFIER_HTML"

    /// Makes `name` known to the template parser. The library keeps the registry under a lock;
    /// registering again replaces the entry with an equal one.
    static func register() {
        MustacheContentTypes.register(HTMLEscaping(), named: name)
    }

    func escapeText(_ text: String) -> String {
        var contiguous = text
        return contiguous.withUTF8 { bytes in
            // One pass to see whether anything needs escaping and to size the result, one to write it.
            var added = 0
            for byte in bytes { added += Self.reference(for: byte).utf8CodeUnitCount }
            if added == 0 { return text }
            return String(unsafeUninitializedCapacity: bytes.count + added) { escaped in
                var end = 0
                for byte in bytes {
                    let reference = Self.reference(for: byte)
                    if reference.utf8CodeUnitCount == 0 {
                        escaped[end] = byte
                        end += 1
                    } else {
                        reference.withUTF8Buffer { for unit in $0 { escaped[end] = unit; end += 1 } }
                    }
                }
                return end
            }
        }
    }

    /// The character reference `byte` is written as; empty when it is written as itself.
    @inline(__always)
    private static func reference(for byte: UInt8) -> StaticString {
        switch byte {
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: ""
        }
    }
}
