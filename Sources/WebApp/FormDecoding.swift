/// `application/x-www-form-urlencoded`, strictly: `+` is a space, `%XX` a byte, the bytes must
/// be UTF-8. Anything else is the client's error, answered with 400, never guessed at.
public enum FormDecoding {
    public enum Failure: Error, Equatable {
        case invalidEscape
        case invalidUTF8
    }

    /// The fields of a form body; when a name repeats, the first value counts (as Flask's
    /// `request.form[name]`).
    public static func fields(of body: [UInt8]) throws(Failure) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0])
            let value = parts.count > 1 ? try decode(parts[1]) : ""
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    static func decode(_ encoded: ArraySlice<UInt8>) throws(Failure) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard encoded.endIndex - index >= 3, let high = hexValue(encoded[index + 1]), let low = hexValue(encoded[index + 2])
                else { throw .invalidEscape }
                bytes.append(high << 4 | low)
                index += 3
            default:
                bytes.append(byte)
                index += 1
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
