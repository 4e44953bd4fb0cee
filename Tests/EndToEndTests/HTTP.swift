import Foundation
import Glibc
import TestSupport

/// Blocking HTTP/1.1 requests for tests, over a plain socket (`Connection: close`, the body read
/// to the end): no hidden threads or run loops, nothing between the test and nginx.
enum HTTP {
    enum Failure: Error {
        case connect(Int32)
        case malformed(String)
    }

    static func get(_ url: URL, method: String = "GET") throws -> HTTPResult {
        try send(method: method, url: url, contentType: nil, body: Data())
    }

    /// A form POST, `application/x-www-form-urlencoded`, as a browser sends it; `from` is the
    /// client's address (any of 127.0.0.0/8, all loopback), 127.0.0.1 by default.
    static func post(_ url: URL, form: [(String, String)], from client: String? = nil) throws -> HTTPResult {
        try post(url, body: Data(FormEncoding.encode(form).utf8), from: client)
    }

    static func post(_ url: URL, body: Data, contentType: String = "application/x-www-form-urlencoded", from client: String? = nil) throws
        -> HTTPResult
    {
        try send(method: "POST", url: url, contentType: contentType, body: body, from: client)
    }

    static func send(method: String, url: URL, contentType: String?, body: Data, from client: String? = nil) throws -> HTTPResult {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.connect(errno) }
        defer { close(fd) }
        if let client {
            var source = sockaddr_in()
            source.sin_family = sa_family_t(AF_INET)
            source.sin_addr.s_addr = inet_addr(client)
            let bound = withUnsafePointer(to: &source) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw Failure.connect(errno) }
        }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(url.port ?? 80).bigEndian
        address.sin_addr.s_addr = inet_addr(url.host ?? "127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure.connect(errno) }
        // `path()` keeps a trailing slash (`/admin/`), which `path` drops.
        var path = url.path(percentEncoded: true).isEmpty ? "/" : url.path(percentEncoded: true)
        if let query = url.query { path += "?" + query }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(url.host ?? "127.0.0.1"):\(url.port ?? 80)\r\nConnection: close\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        if method == "POST" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + Array(body)
        var sent = 0
        while sent < request.count {
            let count = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { break }
            sent += count
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        // A HEAD answer is read to the connection's close: a body sent by mistake shows up.
        while method == "HEAD" || !isComplete(response) {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response += chunk[..<count]
        }
        return try parse(response)
    }

    /// Whether the headers and as many body bytes as `Content-Length` announces have arrived
    /// (a server may keep the connection open after its answer).
    private static func isComplete(_ bytes: [UInt8]) -> Bool {
        guard let end = bytes.firstRange(of: [13, 10, 13, 10]) else { return false }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return false }
        return bytes.count - end.upperBound >= length
    }

    private static func parse(_ bytes: [UInt8]) throws -> HTTPResult {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.firstRange(of: separator) else { throw Failure.malformed(String(decoding: bytes.prefix(200), as: UTF8.self)) }
        let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure.malformed(lines[0]) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[end.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = unchunk(body) }
        return HTTPResult(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    private static func unchunk(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while let lineEnd = bytes[index...].firstRange(of: [13, 10]) {
            let size = Int(String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self), radix: 16) ?? 0
            if size == 0 { break }
            result += bytes[lineEnd.upperBound..<min(bytes.count, lineEnd.upperBound + size)]
            index = lineEnd.upperBound + size + 2
            if index >= bytes.count { break }
        }
        return result
    }
}
