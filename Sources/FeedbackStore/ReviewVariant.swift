/// Which reviews count as "the same text" for the trust rules: near variants share a key.
///
/// The key is the review's letters only, lowercased: digits, punctuation, symbols, emoji and
/// white space are dropped, so "Loved it. #17", "loved it!! #18" and "LOVED IT" are one text,
/// while any change of a word makes another. It is stored as a 64-bit FNV-1a hash of those
/// letters' UTF-8 (16 hex digits), so the index stays small whatever the review's length.
public enum ReviewVariant {
    public static func key(of review: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var text = review
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                // ASCII, most of any review, on its bytes and without the Unicode property
                // tables: its letters are exactly its alphabetic scalars, and their lowercase
                // mappings ASCII's.
                if lead < 0x80 {
                    let byte = lead | 0x20
                    if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                    index += 1
                    continue
                }
                // A String's UTF-8 is valid: the lead byte tells the scalar's length.
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                var value = UInt32(lead) & (0xFF >> UInt32(length + 1))
                for continuation in bytes[(index + 1)..<(index + length)] { value = value << 6 | UInt32(continuation & 0x3F) }
                index += length
                guard let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic else { continue }
                for lower in scalar.properties.lowercaseMapping.utf8 {
                    hash = (hash ^ UInt64(lower)) &* 0x0000_0100_0000_01B3
                }
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
