import Mustache
import Support

/// HTML escaping for the pages' templates: `Support.HTMLText`, on UTF-8 bytes.
///
/// The library's own escaper compares Characters, so a quote followed by a combining mark
/// (`"\u{301}`, one Character) is not escaped and ends an attribute value early; and it
/// looks each Character up in a dictionary, which made escaping a 1,200-character review the
/// largest cost of a results page. Text with nothing to escape is returned as is.
struct HTMLEscaping: MustacheContentType {
    /// The name templates are compiled with (`{{% CONTENT_TYPE: name}}`); a name of its own, so
    /// the library's `HTML` stays as it is for anyone else in the process.
    static let name = "MOVIECLASSIFIER_HTML"

    /// Makes `name` known to the template parser. The library keeps the registry under a lock;
    /// registering again replaces the entry with an equal one.
    static func register() {
        MustacheContentTypes.register(HTMLEscaping(), named: name)
    }

    func escapeText(_ text: String) -> String {
        HTMLText.escaped(text)
    }

    /// Appends `text` escaped: how a page skeleton fills its slots, with no String made.
    static func append(_ text: String, escapedTo output: inout [UInt8]) {
        HTMLText.append(text, escapedTo: &output)
    }

    /// Appends UTF-8 `bytes` escaped: how a piece of a review between marked words is written.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, escapedTo output: inout [UInt8]) {
        HTMLText.append(bytes, escapedTo: &output)
    }
}
