import CLibPQ

/// A connection string as messages and logs may show it: its password replaced by `***`, in
/// either of libpq's forms (`postgresql://user:password@host/db?password=…` and
/// `key=value …`), and the passwords themselves, so that a libpq message quoting one can be
/// cleaned too.
struct RedactedConnectionString: Sendable {
    static let mask = "***"

    /// The string with its passwords masked.
    let text: String
    /// The passwords it held, raw and percent-decoded, longest first.
    let secrets: [String]

    init(_ conninfo: String) {
        var secrets: [String] = []
        if conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://") {
            text = Self.redactingURL(conninfo, into: &secrets)
        } else {
            text = Self.redactingKeywords(conninfo, into: &secrets)
        }
        self.secrets = secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    /// `message` with every password of the string masked.
    func clean(_ message: String) -> String {
        secrets.reduce(message) { $0.replacing($1, with: Self.mask) }
    }

    /// The URL with the password of its user info and any `password` query parameter masked.
    /// The user info ends at the first `@` before any `/`, as libpq reads it.
    private static func redactingURL(_ url: String, into secrets: inout [String]) -> String {
        let afterScheme = url.firstRange(of: "://")!.upperBound
        var result = String(url[..<afterScheme])
        var rest = url[afterScheme...]
        if let at = rest.firstIndex(where: { $0 == "@" || $0 == "/" }), rest[at] == "@" {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                let password = String(userInfo[userInfo.index(after: colon)...])
                secrets += [password, decoded(password)]
                result += userInfo[...colon] + mask
            } else {
                result += userInfo
            }
            rest = rest[at...]
        }
        guard let question = rest.firstIndex(of: "?") else { return result + rest }
        result += rest[...question]
        let parameters = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { parameter in
            guard let equals = parameter.firstIndex(of: "="), decoded(String(parameter[..<equals])) == "password" else { return String(parameter) }
            let password = String(parameter[parameter.index(after: equals)...])
            secrets += [password, decoded(password)]
            return parameter[...equals] + mask
        }
        return result + parameters.joined(separator: "&")
    }

    /// The keywords libpq parses out of `conninfo`, written back without the password; a string
    /// libpq cannot parse is not shown at all, since the password may be what broke it.
    private static func redactingKeywords(_ conninfo: String, into secrets: inout [String]) -> String {
        guard mc_libpq_load() == 0, let options = mc_PQconninfoParse(conninfo, nil) else {
            return "the connection string (which libpq cannot parse)"
        }
        defer { mc_PQconninfoFree(options) }
        var pairs: [String] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                let name = String(cString: keyword)
                if name == "password" {
                    secrets.append(String(cString: value))
                    pairs.append("password=\(mask)")
                } else {
                    pairs.append("\(name)=\(quoted(String(cString: value)))")
                }
            }
            option += 1
        }
        return pairs.isEmpty ? "the default server (PGHOST, PGPORT, PGDATABASE)" : pairs.joined(separator: " ")
    }

    /// A value as a key=value string writes it: single-quoted when empty or holding a space,
    /// a quote or a backslash.
    private static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "'" || $0 == "\\" }) else { return value }
        return "'" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }

    /// `text` with its %XX escapes decoded, as libpq decodes URL parts; `text` itself where
    /// an escape is malformed.
    private static func decoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else { return text }
            bytes.append(value)
            utf8 = utf8.dropFirst(2)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
