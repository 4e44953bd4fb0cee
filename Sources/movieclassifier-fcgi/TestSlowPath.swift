import Glibc
import WebApp

/// **Test-only.** When the environment variable `MOVIECLASSIFIER_TEST_SLOW_PATH` names a path
/// (e.g. `/slow`), a worker answers `GET /slow?seconds=S` by sleeping S seconds and then
/// answering 200: the end-to-end tests need requests that stay in flight to test graceful
/// stops and `--request-timeout`. Unset (as in any deployment), the workers' code path is
/// unchanged: the responder is not wrapped at all.
enum TestSlowPath {
    static let variable = "MOVIECLASSIFIER_TEST_SLOW_PATH"

    static func wrap(_ respond: @escaping (HTTPRequest) -> HTTPResponse) -> (HTTPRequest) -> HTTPResponse {
        guard let value = getenv(variable) else { return respond }
        let path = String(cString: value)
        return { request in
            guard request.path == path else { return respond(request) }
            let seconds =
                request.query.split(separator: "&").lazy.compactMap { field -> Double? in
                    field.hasPrefix("seconds=") ? Double(field.dropFirst("seconds=".count)) : nil
                }.first ?? 1
            var pause = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
            var remaining = timespec()
            while nanosleep(&pause, &remaining) != 0 && errno == EINTR { pause = remaining }
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("slept \(seconds) s\n".utf8))
        }
    }
}
