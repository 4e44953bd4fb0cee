import Support

/// The page as it is written: markup appended as is, every other string escaped (`< > & " '`),
/// so a review's words or a client's id can never end an element or an attribute.
struct HTMLOutput {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(64 * 1024)
    }

    /// Markup this module wrote, never data.
    mutating func markup(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Data, escaped for text and for attribute values alike.
    mutating func text(_ text: String) {
        HTMLText.append(text, escapedTo: &bytes)
    }

    /// `<tag>` + escaped `text` + `</tag>`, with markup attributes.
    mutating func element(_ tag: String, _ attributes: String = "", _ text: String) {
        markup("<\(tag)\(attributes.isEmpty ? "" : " " + attributes)>")
        self.text(text)
        markup("</\(tag)>")
    }
}
