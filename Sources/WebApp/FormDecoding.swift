import Support

/// `application/x-www-form-urlencoded`, strictly: `+` is a space, `%XX` a byte, and the bytes
/// must be UTF-8. Anything else, in any field, is the client's error, answered with 400, never
/// guessed at.
///
/// Every results request decodes a review of a kilobyte or more, so this is one pass over
/// the body's bytes, decoding into one buffer.
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
        var decoded = [UInt8](repeating: 0, count: body.count)
        try body.withUnsafeBufferPointer { (body) throws(Failure) in
            try decoded.withUnsafeMutableBufferPointer { (decoded) throws(Failure) in
                var index = 0
                while index < body.count {
                    let (name, nameEnd) = try decode(body, from: index, until: UInt8(ascii: "="), into: decoded)
                    var value = ""
                    var end = nameEnd
                    if nameEnd < body.count && body[nameEnd] == UInt8(ascii: "=") {
                        (value, end) = try decode(body, from: nameEnd + 1, until: nil, into: decoded)
                    }
                    if end > index, fields[name] == nil { fields[name] = value }
                    index = end + 1
                }
            }
        }
        return fields
    }

    /// Decodes `body` from `start` up to the next `&` (or `stop`, or the end) into `buffer`, and
    /// returns the text and where it stopped.
    private static func decode(
        _ body: UnsafeBufferPointer<UInt8>, from start: Int, until stop: UInt8?, into buffer: UnsafeMutableBufferPointer<UInt8>
    ) throws(Failure) -> (String, end: Int) {
        var index = start
        var count = 0
        while index < body.count {
            // Eight bytes at a time while they hold no `%`, `&` or `=`: `+` made a space in the
            // register, the block written whole (the buffer is as long as the body, and `count`
            // never passes `index`).
            if body.count - index >= 8,
                let block = ByteMask.decodedFormBlock(UnsafeRawPointer(body.baseAddress! + index).loadUnaligned(as: UInt64.self))
            {
                UnsafeMutableRawPointer(buffer.baseAddress! + count).storeBytes(of: block, as: UInt64.self)
                index += 8
                count += 8
                continue
            }
            let byte = body[index]
            if byte == UInt8(ascii: "&") || byte == stop { break }
            switch byte {
            case UInt8(ascii: "+"):
                buffer[count] = UInt8(ascii: " ")
                index += 1
            case UInt8(ascii: "%"):
                guard body.count - index >= 3, let high = Hex.value(body[index + 1]), let low = Hex.value(body[index + 2]) else {
                    throw .invalidEscape
                }
                buffer[count] = high << 4 | low
                index += 3
            default:
                buffer[count] = byte
                index += 1
            }
            count += 1
        }
        guard let text = String(validating: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self) else { throw .invalidUTF8 }
        return (text, index)
    }
}
