import CFastCGI
import CWorkerSignals
import Glibc
import LiveModel
import WebApp

/// Plain CGI (libfcgi's fallback when standard input is not a socket): one request from the
/// environment and standard input, the answer on standard output.
enum CGIResponder {
    static func serveOne(bodyLimit: Int, respond: (HTTPRequest) -> HTTPResponse) {
        let message = CGIMessage(environ)
        let length = message.bodyLength(limit: bodyLimit)
        var body = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            let count = body.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress! + filled, length - filled) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            filled += count
        }
        body.removeLast(length - filled)
        let request = message.request(body: body)
        let response = respond(request)
        let output = CGIMessage.head(of: response) + (request.method == "HEAD" ? [] : response.body)
        var written = 0
        while written < output.count {
            let count = output.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + written, output.count - written) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            written += count
        }
    }
}
