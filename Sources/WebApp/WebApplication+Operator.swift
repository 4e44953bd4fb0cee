import Telemetry

extension WebApplication {
    /// The private routes an operator reads: `/status`, `/metrics`, `/admin/`.
    static let operatorPaths: Set<String> = ["/status", "/metrics", "/admin/"]

    /// The answer to a private route. Refused as if it did not exist (404) when the routes are
    /// off or the request came through the public location, whatever its client's address;
    /// `GET` and `HEAD` only.
    func respondToOperator(_ request: HTTPRequest) throws(ErrorPage) -> HTTPResponse {
        guard let operatorViews, !request.isPublic else { throw .notFound }
        guard request.method == "GET" || request.method == "HEAD" else { throw .methodNotAllowed(allow: "GET, HEAD") }
        switch request.path {
        case "/status":
            let format = StatusFormat(query: request.query)
            guard let status = operatorViews.status(format) else { throw .notFound }
            return HTTPResponse(
                status: 200, headers: Self.operatorHeaders(type: format.json ? "application/json" : "text/plain; charset=utf-8"),
                body: Array(status.utf8))
        case "/metrics":
            return HTTPResponse(status: 200, headers: Self.operatorHeaders(type: MetricsText.contentType), body: Array(operatorViews.metrics().utf8))
        default:
            do {
                return HTTPResponse(status: 200, headers: PageHeaders.private, body: try operatorViews.adminPage())
            } catch {
                log("cannot make the admin page: \(error)")
                throw .unavailable
            }
        }
    }

    private static func operatorHeaders(type: String) -> [(name: String, value: String)] {
        [("Content-Type", type), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
    }
}
