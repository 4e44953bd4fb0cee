import Foundation

/// The hidden fields of a page's forms, as a browser submits them: what a results page carries
/// to the feedback form.
public enum HiddenFields {
    /// The `name`/`value` pairs of every `<input type="hidden">`, values HTML-unescaped, in order.
    public static func of(_ page: String) -> [(String, String)] {
        var fields: [(String, String)] = []
        for match in page.matches(of: #/<input[^>]*type="hidden"[^>]*>/#) {
            let tag = String(match.output)
            guard let name = attribute("name", in: tag), let value = attribute("value", in: tag) else { continue }
            fields.append((name, value))
        }
        return fields
    }

    /// The value of `name` in the tag, HTML-unescaped.
    public static func attribute(_ name: String, in tag: String) -> String? {
        guard let range = tag.range(of: " \(name)=\"") else { return nil }
        let rest = tag[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return unescape(String(rest[..<end]))
    }

    /// The text of HTML-escaped `html`: the references the pages write, `&amp;` last.
    public static func unescape(_ html: String) -> String {
        var result = html
        for (entity, character) in [
            ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&#x2F;", "/"), ("&#61;", "="), ("&#96;", "`"),
            ("&amp;", "&"),
        ] {
            result = result.replacingOccurrences(of: entity, with: character)
        }
        return result
    }
}
