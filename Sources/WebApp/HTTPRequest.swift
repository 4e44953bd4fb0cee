/// An HTTP request as the web server hands it to the application: no transport inside, so the
/// application is tested without a server and served by any adapter (FastCGI, CGI).
public struct HTTPRequest: Sendable, Equatable {
    /// `GET`, `POST`, ... as sent.
    public var method: String
    /// The path, without the query string (`/results`).
    public var path: String
    /// The query string, without `?`.
    public var query: String
    /// Header fields, names lowercased (`content-type`).
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: String = "", headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}
