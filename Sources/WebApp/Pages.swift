import Glibc
import Mustache

/// The HTML pages, from the Mustache templates in `www/templates`, read and compiled once when
/// a worker starts. Mustache escapes every `{{value}}` for HTML, so user text is always shown
/// as text.
public struct Pages {
    public enum LoadError: Error, CustomStringConvertible {
        case missing(path: String, reason: String)
        case invalid(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path, let reason): return "\(path): cannot read the template: \(reason)"
            case .invalid(let path, let reason): return "\(path): not a valid Mustache template: \(reason)"
            }
        }
    }

    /// The page templates and the partials they include.
    static let names = ["form", "results", "thanks", "error", "header", "footer"]

    private let library: MustacheLibrary

    public init(folder: String) throws(LoadError) {
        // Pages declaring `{{% CONTENT_TYPE: HTML }}` escape with the byte-level escaper.
        MustacheContentTypes.register(HTMLEscaping(), named: "HTML")
        var library = MustacheLibrary()
        for name in Self.names {
            let path = "\(folder)/\(name).mustache"
            let text = try Self.read(path)
            do {
                try library.register(text, named: name)
            } catch {
                throw .invalid(path: path, reason: "\(error)")
            }
        }
        self.library = library
    }

    func render(_ name: String, _ context: [String: Any]) -> [UInt8] {
        Array((library.render(context, withTemplate: name) ?? "").utf8)
    }

    private static func read(_ path: String) throws(LoadError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .missing(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 { throw .missing(path: path, reason: String(cString: strerror(errno))) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
