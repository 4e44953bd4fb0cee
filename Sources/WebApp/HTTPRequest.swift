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
    /// The client's address as the web server saw it (CGI's `REMOTE_ADDR`; behind a balancer,
    /// what nginx's `real_ip` module set). Only ever stored as a keyed hash.
    public var remoteAddress: String
    /// It came through the web server's public location, which marks its requests (nginx's
    /// `fastcgi_param MOVIECLASSIFIER_PUBLIC 1`): the operator's private routes refuse it
    /// whatever its client's address says, so that a proxy in front cannot make a visitor
    /// look local.
    public var isPublic: Bool

    public init(
        method: String, path: String, query: String = "", headers: [String: String] = [:], body: [UInt8] = [], remoteAddress: String = "",
        isPublic: Bool = false
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.isPublic = isPublic
    }
}
