import CFastCGI
import CWorkerSignals
import Glibc
import WebApp

/// One worker's request loop over libfcgi's reentrant API: accept a connection on the shared
/// socket, turn its parameters and body into an `HTTPRequest`, answer with the application's
/// `HTTPResponse`, finish, until a stop signal arrives.
struct FastCGIResponder {
    let socket: Int32
    /// The largest body the application accepts; more is not read (the application answers 413).
    let bodyLimit: Int
    let respond: (HTTPRequest) -> HTTPResponse

    /// Serves until SIGTERM, SIGINT or SIGHUP; the request in progress is finished first.
    func run() {
        // libfcgi's streams keep pointers to the request: it needs a stable address.
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        defer { request.deallocate() }
        // Without this flag libfcgi restarts an interrupted accept, and a stop signal would
        // leave an idle worker waiting for one more connection.
        FCGX_InitRequest(request, socket, FCGI_FAIL_ACCEPT_ON_INTR)
        while worker_signals_received() == 0 {
            let accepted = FCGX_Accept_r(request)
            if accepted < 0 {
                if worker_signals_received() != 0 { break }
                if errno == EINTR { continue }
                Log.error("accepting a FastCGI connection failed (\(accepted)); this worker stops")
                break
            }
            serve(request)
            FCGX_Finish_r(request)
        }
    }

    private func serve(_ request: UnsafeMutablePointer<FCGX_Request>) {
        // Parameter strings die at the next accept: copy them now.
        let message = CGIMessage(request.pointee.envp)
        let length = message.bodyLength(limit: bodyLimit)
        var body = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            let count = body.withUnsafeMutableBytes { bytes in
                FCGX_GetStr(bytes.baseAddress!.assumingMemoryBound(to: CChar.self) + filled, Int32(length - filled), request.pointee.in)
            }
            if count <= 0 { break }
            filled += Int(count)
        }
        body.removeLast(length - filled)
        let httpRequest = message.request(body: body)
        let response = respond(httpRequest)
        put(CGIMessage.head(of: response), request.pointee.out)
        if httpRequest.method != "HEAD" { put(response.body, request.pointee.out) }
    }

    private func put(_ bytes: [UInt8], _ stream: UnsafeMutablePointer<FCGX_Stream>) {
        bytes.withUnsafeBytes { bytes in
            _ = FCGX_PutStr(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), stream)
        }
    }
}

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

/// Lines on standard error, which nginx (through spawn-fcgi or the run script) keeps in its log.
enum Log {
    static func info(_ message: String) { emit("movieclassifier-fcgi[\(getpid())]: \(message)\n") }
    static func error(_ message: String) { emit("movieclassifier-fcgi[\(getpid())]: error: \(message)\n") }

    private static func emit(_ line: String) {
        var line = line
        line.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}
