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
            let added = Self.addedLength(bytes)
            if added == 0 { return text }
            return String(unsafeUninitializedCapacity: bytes.count + added) { escaped in
                Self.write(bytes, escapedTo: escaped.baseAddress!)
            }
        }
    }

    /// Appends `text` escaped: how a page skeleton fills its slots, with no String made.
    static func append(_ text: String, escapedTo output: inout [UInt8]) {
        var contiguous = text
        contiguous.withUTF8 { append($0, escapedTo: &output) }
    }

    /// Appends UTF-8 `bytes` escaped: how a piece of a review between marked words is written.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, escapedTo output: inout [UInt8]) {
        let added = addedLength(bytes)
        if added == 0 {
            output.append(contentsOf: bytes)
            return
        }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bytes.count + added))
        output.withUnsafeMutableBufferPointer { _ = write(bytes, escapedTo: $0.baseAddress! + start) }
    }

    /// How many bytes escaping adds to `bytes`; 0 when nothing needs escaping.
    private static func addedLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var added = 0
        for byte in bytes {
            let length = reference(for: byte).utf8CodeUnitCount
            if length != 0 { added &+= length - 1 }
        }
        return added
    }

    /// Writes `bytes` escaped from `output` on (room for `bytes.count + addedLength` bytes) and
    /// returns the count written. Runs without special bytes, nearly all of a review, are
    /// copied whole.
    private static func write(_ bytes: UnsafeBufferPointer<UInt8>, escapedTo output: UnsafeMutablePointer<UInt8>) -> Int {
        var end = 0
        var runStart = 0
        for index in bytes.indices {
            let reference = reference(for: bytes[index])
            if reference.utf8CodeUnitCount == 0 { continue }
            let run = index - runStart
            (output + end).update(from: bytes.baseAddress! + runStart, count: run)
            end += run
            (output + end).update(from: reference.utf8Start, count: reference.utf8CodeUnitCount)
            end += reference.utf8CodeUnitCount
            runStart = index + 1
        }
        (output + end).update(from: bytes.baseAddress! + runStart, count: bytes.count - runStart)
        return end + bytes.count - runStart
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
