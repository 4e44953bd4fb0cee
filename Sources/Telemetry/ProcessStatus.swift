/// One worker as the status page lists it: php-fpm's per-process fields, read from the
/// worker's scoreboard slot.
public struct ProcessStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Waiting for a connection (php-fpm's word, which php-fpm_exporter counts as idle).
        case idle = "Idle"
        /// Serving a request (php-fpm's word, counted as active).
        case running = "Running"
        /// Loading the model and opening the database; it accepts nothing yet.
        case starting = "Starting"
    }

    public var pid: Int32
    public var state: State
    /// When it started (Unix seconds).
    public var startedAt: Int64
    /// Requests it has served.
    public var requests: Int64
    /// The request in progress so far, or else the last one, in microseconds (php-fpm's).
    public var requestDurationMicroseconds: Int64
    /// The method, URI and body length of that request; empty before the first.
    public var requestMethod: String
    public var requestURI: String
    public var contentLength: Int64
    /// The last request's CPU time as a percentage of its duration (php-fpm's).
    public var lastRequestCPUPercent: Double
    /// The process's peak resident memory after its last request, in bytes.
    public var lastRequestMemory: Int64

    public init(
        pid: Int32, state: State, startedAt: Int64, requests: Int64, requestDurationMicroseconds: Int64, requestMethod: String,
        requestURI: String, contentLength: Int64, lastRequestCPUPercent: Double, lastRequestMemory: Int64
    ) {
        self.pid = pid
        self.state = state
        self.startedAt = startedAt
        self.requests = requests
        self.requestDurationMicroseconds = requestDurationMicroseconds
        self.requestMethod = requestMethod
        self.requestURI = requestURI
        self.contentLength = contentLength
        self.lastRequestCPUPercent = lastRequestCPUPercent
        self.lastRequestMemory = lastRequestMemory
    }
}
