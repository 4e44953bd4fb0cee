/// The media type of the request bodies the application reads.
enum MediaType {
    static let formURLEncoded = "application/x-www-form-urlencoded"

    static let json = "application/json"

    /// Whether a `Content-Type` is `application/x-www-form-urlencoded` (any case), with no
    /// charset or UTF-8's: the bytes of any other charset would be decoded as the wrong text.
    static func isFormURLEncoded(_ contentType: String?) -> Bool {
        isUTF8(contentType, of: formURLEncoded)
    }

    /// Whether a `Content-Type` is `application/json`, with no charset or UTF-8's (JSON is
    /// UTF-8, RFC 8259).
    static func isJSON(_ contentType: String?) -> Bool {
        isUTF8(contentType, of: json)
    }

    private static func isUTF8(_ contentType: String?, of mediaType: String) -> Bool {
        guard let contentType else { return false }
        // What clients send, checked first: the general parse below costs microseconds.
        if contentType.utf8.elementsEqual(mediaType.utf8) { return true }
        var parts = contentType.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
        guard let type = parts.next(), type.trimmingOptionalWhitespace().lowercased() == mediaType else {
            return false
        }
        for parameter in parts {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair[0].trimmingOptionalWhitespace().lowercased() == "charset" else { continue }
            let value = pair.count == 2 ? pair[1].trimmingOptionalWhitespace() : ""
            guard value.lowercased() == "utf-8" || value.lowercased() == "\"utf-8\"" else { return false }
        }
        return true
    }
}
