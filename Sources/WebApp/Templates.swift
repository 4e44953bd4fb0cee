import Glibc
import Mustache
import SentimentModel
import Support

/// The page templates of `www/templates`, read and compiled once when a worker starts, with the
/// partials `header` and `footer` that make the shared layout.
///
/// Every template is compiled with the byte-level HTML escaper (`HTMLEscaping`) switched on
/// by this type, not by a line each template would have to remember: `{{value}}` is always
/// escaped, so user text is always shown as text.
struct Templates {
    static let partials = ["header", "footer"]

    private let library: MustacheLibrary
    /// The folder the templates were read from, for messages.
    let folder: String

    init(folder: String) throws(TemplateError) {
        self.folder = folder
        let pragma = "{{% CONTENT_TYPE: \(HTMLEscaping.name)}}\n"
        HTMLEscaping.register()
        var library = MustacheLibrary()
        for name in Page.allCases.map(\.rawValue) + Self.partials {
            let path = "\(folder)/\(name).mustache"
            let text: String
            let bytes: [UInt8]
            do {
                bytes = try AtomicFile.read(path)
            } catch {
                throw .unreadable(path: path, reason: String(cString: strerror(error.code)))
            }
            // The bytes `PageSkeleton`'s markers are made of: with none in a template, every
            // skeleton cuts cleanly, so the skeletons may be made when first needed.
            guard !bytes.contains(1) && !bytes.contains(2) else {
                throw .invalid(path: path, reason: "it holds the control character U+0001 or U+0002, which the server reserves")
            }
            text = String(decoding: bytes, as: UTF8.self)
            do {
                try library.register(pragma + text, named: name)
            } catch {
                throw .invalid(path: path, reason: "\(error)")
            }
        }
        self.library = library
    }

    /// The page as UTF-8. `context` maps the template's names to Strings and Ints.
    func render(_ page: Page, _ context: [String: Any]) -> [UInt8] {
        Array((library.render(context, withTemplate: page.rawValue) ?? "").utf8)
    }

    /// `page` rendered with `context` and cut where the values named `slots` go, to be filled
    /// per request by `PageSkeleton.render` with values in the order of `slots`. The templates
    /// hold no marker byte (`init` checks), so only a `context` value holding one could spoil
    /// the cut: the caller's constants never do.
    func skeleton(_ page: Page, _ context: [String: Any], slots: [String]) -> PageSkeleton {
        var context = context
        for (index, name) in slots.enumerated() { context[name] = PageSkeleton.marker(index) }
        guard let skeleton = PageSkeleton(rendered: render(page, context), valueCount: slots.count) else {
            preconditionFailure("a value of the \(page.rawValue) page's context holds U+0001 or U+0002")
        }
        return skeleton
    }
}
