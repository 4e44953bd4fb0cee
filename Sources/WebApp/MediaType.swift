/// The media type of the request bodies the application reads.
enum MediaType {
    static let formURLEncoded = "application/x-www-form-urlencoded"

    /// Whether a `Content-Type` is `application/x-www-form-urlencoded` (any case), with no
    /// charset or UTF-8's: the bytes of any other charset would be decoded as the wrong text.
    static func isFormURLEncoded(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        // What browsers send, checked first: the general parse below costs microseconds.
        if contentType.utf8.elementsEqual(Self.formURLEncoded.utf8) { return true }
        var parts = contentType.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
        guard let type = parts.next(), type.trimmingOptionalWhitespace().lowercased() == "application/x-www-form-urlencoded" else {
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
