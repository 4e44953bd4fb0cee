/// Markup that fills a page slot as it is, not escaped again: the marked review and the lists
/// of what pushed a prediction. It is made only of the server's own literal markup and of text
/// that went through `HTMLEscaping`, so a visitor's text cannot become markup on the way.
struct HTMLFragment: Equatable {
    private(set) var bytes: [UInt8] = []

    init() {}

    /// `text` escaped, as `{{name}}` shows it.
    init(escaping text: String) {
        HTMLEscaping.append(text, escapedTo: &bytes)
    }

    /// Appends the server's own markup (a literal: never a visitor's text).
    mutating func append(markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(escaping text: String) {
        HTMLEscaping.append(text, escapedTo: &bytes)
    }

    /// Appends UTF-8 `text` escaped.
    mutating func append(escaping text: UnsafeBufferPointer<UInt8>) {
        HTMLEscaping.append(text, escapedTo: &bytes)
    }
}
