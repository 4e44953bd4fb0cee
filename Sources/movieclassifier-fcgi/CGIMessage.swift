import Glibc
import WebApp

/// Translation between the CGI/FastCGI world (a parameter environment, a `Status:` header) and
/// the application's request and response values. Shared by FastCGI and plain-CGI mode.
///
/// It runs on every request, so it works on bytes: one pass over the environment copies only
/// the parameters a request is made of, and the answer's head is written once, beside the body.
struct CGIMessage {
    var method = "GET"
    /// nginx's `DOCUMENT_URI`: the path without the query.
    var documentURI = ""
    /// The path and query as sent; used when `DOCUMENT_URI` is missing.
    var requestURI = ""
    /// Apache and CGI describe the path as `SCRIPT_NAME` + `PATH_INFO`.
    var scriptName = ""
    var pathInfo = ""
    var query = ""
    var remoteAddress = ""
    /// The web server's public location set `MOVIECLASSIFIER_PUBLIC` (see `HTTPRequest.isPublic`).
    var isPublic = false
    /// `CONTENT_TYPE` and `CONTENT_LENGTH` (when not empty) and the `HTTP_*` parameters, as
    /// header fields.
    var headers: [String: String] = [:]

    /// The parameters of a `NAME=value` environment (libfcgi's request parameters, or a CGI
    /// process's `environ`), copied: libfcgi frees them at the next accept.
    init(_ environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        guard var entry = environment else { return }
        while let pair = entry.pointee {
            entry += 1
            guard let equals = strchr(pair, Int32(UInt8(ascii: "="))) else { continue }
            let nameLength = equals - pair
            let value = equals + 1
            pair.withMemoryRebound(to: UInt8.self, capacity: nameLength) { name in
                let name = UnsafeBufferPointer(start: name, count: nameLength)
                if name.starts(with: "HTTP_".utf8) {
                    headers[Self.headerName(name.dropFirst(5))] = String(cString: value)
                    return
                }
                switch String(decoding: name, as: UTF8.self) {
                case "REQUEST_METHOD": method = String(cString: value)
                case "DOCUMENT_URI": documentURI = String(cString: value)
                case "REQUEST_URI": requestURI = String(cString: value)
                case "SCRIPT_NAME": scriptName = String(cString: value)
                case "PATH_INFO": pathInfo = String(cString: value)
                case "QUERY_STRING": query = String(cString: value)
                case "REMOTE_ADDR": remoteAddress = String(cString: value)
                case Self.publicMarker: isPublic = value.pointee != 0 && strcmp(value, "0") != 0
                case "CONTENT_TYPE" where value.pointee != 0: headers["content-type"] = String(cString: value)
                case "CONTENT_LENGTH" where value.pointee != 0: headers["content-length"] = String(cString: value)
                default: break
                }
            }
        }
    }

    /// `ACCEPT_LANGUAGE` as `accept-language`.
    private static func headerName(_ name: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        String(unsafeUninitializedCapacity: name.count) { text in
            for (index, byte) in name.enumerated() {
                text[index] = byte == UInt8(ascii: "_") ? UInt8(ascii: "-") : (byte | (byte >= 65 && byte <= 90 ? 0x20 : 0))
            }
            return name.count
        }
    }

    /// The parameter (or, under CGI, environment variable) by which the web server's public
    /// location marks its requests.
    static let publicMarker = "MOVIECLASSIFIER_PUBLIC"

    /// The path and query as the client sent them, for the status page.
    var uri: String {
        if !requestURI.isEmpty { return requestURI }
        return path + (query.isEmpty ? "" : "?" + query)
    }

    /// The path without the query: `DOCUMENT_URI` (nginx), else `REQUEST_URI` without its
    /// query, else `SCRIPT_NAME` + `PATH_INFO` (Apache, and FastCGI clients such as
    /// php-fpm_exporter, which send only `SCRIPT_NAME`).
    var path: String {
        if !documentURI.isEmpty { return documentURI }
        if !requestURI.isEmpty { return String(requestURI.prefix { $0 != "?" }) }
        let joined = scriptName + pathInfo
        return joined.isEmpty ? "/" : joined
    }

    /// The body length the request announces, capped at `limit + 1`: enough for the
    /// application to see that a body is too large without the responder reading all of it.
    func bodyLength(limit: Int) -> Int {
        guard let text = headers["content-length"], let length = Int(text), length > 0 else { return 0 }
        return min(length, limit + 1)
    }

    /// The request, with `body`.
    func request(body: [UInt8]) -> HTTPRequest {
        HTTPRequest(method: method, path: path, query: query, headers: headers, body: body, remoteAddress: remoteAddress, isPublic: isPublic)
    }

    /// The CGI head of `response`: a `Status:` line, the headers, `Content-Length` and the blank
    /// line. The body follows it, except for HEAD, whose length is announced all the same.
    static func head(of response: HTTPResponse) -> [UInt8] {
        var head: [UInt8] = []
        head.reserveCapacity(512)
        head.append(contentsOf: "Status: \(response.status) \(reasonPhrase(response.status))\r\n".utf8)
        for (name, value) in response.headers {
            head.append(contentsOf: name.utf8)
            head.append(contentsOf: ": ".utf8)
            head.append(contentsOf: value.utf8)
            head.append(contentsOf: "\r\n".utf8)
        }
        head.append(contentsOf: "Content-Length: \(response.body.count)\r\n\r\n".utf8)
        return head
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 303: "See Other"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}
