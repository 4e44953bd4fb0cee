import Glibc

/// The review as the application signs, classifies and stores it: line breaks as `\n`.
///
/// Browsers send line breaks as CRLF, from the textarea and from a hidden field alike, whatever
/// the page held; a review read the same way on both requests signs and checks the same.
enum Review {
    static func canonical(_ text: String) -> String {
        guard text.containsByte(UInt8(ascii: "\r")) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var afterCR = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") && afterCR {
                afterCR = false
                continue
            }
            afterCR = byte == UInt8(ascii: "\r")
            bytes.append(afterCR ? UInt8(ascii: "\n") : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
