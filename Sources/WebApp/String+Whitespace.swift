import Glibc

extension String {
    /// Whether the UTF-8 of the text contains `byte`: `memchr`, where a loop over `utf8` costs
    /// microseconds on a long review.
    func containsByte(_ byte: UInt8) -> Bool {
        var text = self
        return text.withUTF8 { bytes in bytes.baseAddress.map { memchr($0, Int32(byte), bytes.count) != nil } ?? false }
    }

    /// The text without leading and trailing whitespace: Unicode scalars with the White_Space
    /// property, as Python's `str.strip` in the book's form validation sees them.
    func trimmingWhitespace() -> Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return Substring(scalars[first...last])
    }
}
