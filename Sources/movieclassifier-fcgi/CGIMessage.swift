import WebApp

/// Translation between the CGI/FastCGI world (a parameter environment, a `Status:` header) and
/// the application's request and response values. Shared by FastCGI and plain-CGI mode.
enum CGIMessage {
    /// The request the parameters describe. nginx sends `DOCUMENT_URI` (the path without the
    /// query); Apache and CGI send `SCRIPT_NAME` + `PATH_INFO`; `REQUEST_URI` is the fallback.
    static func request(parameters: [String: String], body: [UInt8]) -> HTTPRequest {
        var headers: [String: String] = [:]
        for (name, value) in parameters where name.hasPrefix("HTTP_") {
            headers[name.dropFirst(5).lowercased().replacingUnderscores()] = value
        }
        if let type = parameters["CONTENT_TYPE"], !type.isEmpty { headers["content-type"] = type }
        if let length = parameters["CONTENT_LENGTH"], !length.isEmpty { headers["content-length"] = length }
        let path: String
        if let uri = parameters["DOCUMENT_URI"], !uri.isEmpty {
            path = uri
        } else if let uri = parameters["REQUEST_URI"], !uri.isEmpty {
            path = String(uri.prefix { $0 != "?" })
        } else {
            let joined = (parameters["SCRIPT_NAME"] ?? "") + (parameters["PATH_INFO"] ?? "")
            path = joined.isEmpty ? "/" : joined
        }
        return HTTPRequest(
            method: parameters["REQUEST_METHOD"] ?? "GET",
            path: path,
            query: parameters["QUERY_STRING"] ?? "",
            headers: headers,
            body: body
        )
    }

    /// A copy of a `NAME=value` environment (libfcgi's request parameters, or a CGI process's
    /// `environ`).
    static func parameters(_ environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String: String] {
        var parameters: [String: String] = [:]
        guard var entry = environment else { return parameters }
        while let pair = entry.pointee {
            let text = String(cString: pair)
            if let equals = text.firstIndex(of: "=") {
                parameters[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return parameters
    }

    /// The body length the parameters announce, capped at `limit + 1`: enough for the
    /// application to see that a body is too large without the responder reading all of it.
    static func bodyLength(parameters: [String: String], limit: Int) -> Int {
        guard let text = parameters["CONTENT_LENGTH"], let length = Int(text), length > 0 else { return 0 }
        return min(length, limit + 1)
    }

    /// The response as CGI output: a `Status:` line, the headers, `Content-Length`, a blank line,
    /// the body (omitted for HEAD, whose length is still announced).
    static func bytes(of response: HTTPResponse, forHead: Bool) -> [UInt8] {
        var head = "Status: \(response.status) \(reasonPhrase(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.count)\r\n\r\n"
        var bytes = Array(head.utf8)
        if !forHead { bytes += response.body }
        return bytes
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 303: "See Other"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}

extension String {
    /// `accept_language` as `accept-language`.
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
