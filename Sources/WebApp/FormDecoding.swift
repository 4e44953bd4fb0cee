/// `application/x-www-form-urlencoded`, strictly: `+` is a space, `%XX` a byte, and the bytes
/// must be UTF-8. Anything else, in any field, is the client's error, answered with 400, never
/// guessed at.
enum FormDecoding {
    enum Failure: Error, Equatable {
        /// A `%` not followed by two hexadecimal digits (`%zz`, a final `%4`).
        case invalidEscape
        /// A name or value whose bytes are not UTF-8.
        case invalidUTF8
    }

    /// The fields of a form body. When a name repeats, the first value counts, as with Flask's
    /// `request.form[name]`: what the page's own form sends comes first, and every reader of a
    /// field (the signature check, the stored feedback) sees the same one value.
    static func fields(of body: [UInt8]) throws(Failure) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: UInt8(ascii: "&")) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let name = try decode(pair[..<equals])
            let value = equals == pair.endIndex ? "" : try decode(pair[(equals + 1)...])
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    static func decode(_ encoded: ArraySlice<UInt8>) throws(Failure) -> String {
        let decoded = encoded.withUnsafeBufferPointer { encoded -> ArraySlice<UInt8>? in
            var bytes = [UInt8](repeating: 0, count: encoded.count)
            var count = 0
            var index = 0
            while index < encoded.count {
                switch encoded[index] {
                case UInt8(ascii: "+"):
                    bytes[count] = UInt8(ascii: " ")
                    index += 1
                case UInt8(ascii: "%"):
                    guard encoded.count - index >= 3, let high = Hex.value(encoded[index + 1]), let low = Hex.value(encoded[index + 2])
                    else { return nil }
                    bytes[count] = high << 4 | low
                    index += 3
                case let byte:
                    bytes[count] = byte
                    index += 1
                }
                count += 1
            }
            return bytes[..<count]
        }
        guard let decoded else { throw .invalidEscape }
        guard let text = String(validating: decoded, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }
}
