/// How the status page is asked for, from its query string as php-fpm reads it: `json` for
/// JSON instead of text, `full` for a row per worker, in any order (`?json&full`, `?full`).
public struct StatusFormat: Sendable, Equatable {
    public var json: Bool
    public var full: Bool

    public init(json: Bool, full: Bool) {
        self.json = json
        self.full = full
    }

    public init(query: String) {
        let names = query.split(separator: "&").map { $0.prefix { $0 != "=" } }
        self.init(json: names.contains("json"), full: names.contains("full"))
    }
}
