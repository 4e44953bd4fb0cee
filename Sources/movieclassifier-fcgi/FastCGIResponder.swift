import CFastCGI
import CWorkerSignals
import Glibc
import LiveModel
import PoolSupervision
import Telemetry
import WebApp

/// One worker's request loop over libfcgi's reentrant API: wait for a connection on the shared
/// socket, accept it, turn its parameters and body into an `HTTPRequest`, answer with the
/// application's `HTTPResponse`, finish, until a stop signal or `maxRequests`. An answer whose
/// feedback is committed but not yet synced to the log goes to `answers`, which sends it once
/// the log is synced, while this loop goes on with the next request.
///
/// The stop signals are blocked except while the worker waits for a connection
/// (`worker_signals_wait_readable`): a stop never interrupts a request half read or half
/// written, and a worker that has accepted a request always answers it. The socket is
/// non-blocking, so a worker that loses the race for a connection to another one goes back to
/// waiting instead of blocking in `accept` with the stop signals blocked. After a request the
/// worker tries the next accept before it waits (`AcceptPacing`): under load a connection is
/// queued, and the wait would be one more system call a request; a busy worker still waits
/// once every few dozen requests, so a stop reaches it within them.
struct FastCGIResponder {
    let socket: Int32
    /// The largest body the application accepts; more is not read (the application answers 413).
    let bodyLimit: Int
    /// Requests served before the worker exits to be replaced.
    let maxRequests: Int
    /// Where the master sees what this worker is doing.
    let slot: WorkerSlot
    /// The pool's counters, which every worker adds its requests to.
    let scoreboard: Scoreboard
    /// The id of the last feedback row the worker's live model has applied.
    let watermark: () -> Int64
    /// Why the model file on disk is not in use, if it is not (see `LiveClassifier`).
    let problem: () -> ModelFileProblem?
    /// Why the live model could not catch up with the feedback log, if it could not: it then
    /// answers with what it holds (see `LiveClassifier.catchUpProblem`).
    let lagging: () -> String?
    let respond: (HTTPRequest) -> HTTPResponse
    /// Whether the last answer's feedback is committed but not yet synced to the log (see
    /// `FeedbackStore.defersLogSync`): it is then sent by `answers`, after the sync.
    let unsyncedCommit: () -> Bool
    /// Where such answers wait for the sync; nil when every write syncs before it returns.
    let answers: SyncedAnswers?

    /// Serves until SIGTERM, SIGINT or SIGHUP, or `maxRequests`; returns the exit status, once
    /// every answer waiting for the log's sync is sent.
    func run() -> Int32 {
        defer { answers?.finish() }
        // libfcgi's streams keep pointers to the request: it needs a stable address. A request
        // whose answer waits for the sync is handed over, and the next one gets a new address.
        var request = Self.newRequest(on: socket)
        defer { request.deallocate() }
        slot.markReady(watermark: watermark())
        var served = 0
        var reported: ModelFileProblem?
        var reportedLag: String?
        var pacing = AcceptPacing()
        while worker_signals_received() == 0 && served < maxRequests {
            if pacing.shouldWait {
                switch worker_signals_wait_readable(socket) {
                case 1: pacing.waited()
                case 0: continue
                default:
                    Log.error("waiting for FastCGI connections failed: \(String(cString: strerror(errno))); this worker stops")
                    return 1
                }
            }
            // Counted from here, so that a client slow to send its parameters is timed too.
            let started = Monotonic.now()
            slot.requestStarted(at: started)
            let accepted = FCGX_Accept_r(request)
            if accepted < 0 {
                slot.requestAbandoned()
                // No connection queued, or another worker took it first.
                if accepted == -EAGAIN || accepted == -EWOULDBLOCK {
                    pacing.foundEmpty()
                    continue
                }
                Log.error("accepting a FastCGI connection failed (\(accepted)); this worker stops")
                return 1
            }
            pacing.accepted()
            scoreboard.add(1, at: TelemetryLayout.accepted)
            let usageBefore = Self.resourceUsage()
            let (httpRequest, response) = serve(request)
            let route = RequestRoute(path: httpRequest.path)
            let head = CGIMessage.head(of: response)
            let body = httpRequest.method == "HEAD" ? [] : response.body
            // Counted, and the worker shown idle, before the answer's last bytes leave: a client
            // that has its answer and then asks /status or /metrics finds the request there and
            // this worker no longer active. The final write to the web server is left out of
            // the request's time (an answer that waits for the log's sync is counted when it
            // is sent, its wait included).
            let duration = Monotonic.now() - started
            let usageAfter = Self.resourceUsage()
            slot.requestFinished(
                watermark: watermark(), duration: duration, cpuTime: usageAfter.cpuMicroseconds - usageBefore.cpuMicroseconds,
                memory: usageAfter.peakMemory)
            if let answers, unsyncedCommit() {
                answers.send(.init(request: request, head: head, body: body, route: route, status: response.status, started: started))
                request = Self.newRequest(on: socket)
            } else {
                scoreboard.recordRequest(route, status: response.status, nanoseconds: duration)
                Self.finish(request, writing: head, body)
            }
            served += 1
            let current = problem()
            if current != reported {
                if let current {
                    Log.error(current.description)
                } else {
                    Log.info("the model file loads again: serving it")
                }
                slot.setNote(current?.description)
                reported = current
            }
            let lag = lagging()
            if (lag == nil) != (reportedLag == nil) {
                if let lag {
                    Log.error("the feedback log does not answer; answering with the model this worker holds: \(lag)")
                } else {
                    Log.info("the feedback log answers again: the live model is caught up")
                }
            }
            reportedLag = lag
        }
        return 0
    }

    /// A request object for libfcgi on `socket`, at an address of its own.
    private static func newRequest(on socket: Int32) -> UnsafeMutablePointer<FCGX_Request> {
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        FCGX_InitRequest(request, socket, 0)
        return request
    }

    /// Reads the request and makes its answer, written by the caller.
    private func serve(_ request: UnsafeMutablePointer<FCGX_Request>) -> (HTTPRequest, HTTPResponse) {
        // Parameter strings die at the next accept: copy them now.
        let message = CGIMessage(request.pointee.envp)
        let length = message.bodyLength(limit: bodyLimit)
        slot.describeRequest(method: message.method, uri: message.uri.utf8, contentLength: length)
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
        return (httpRequest, respond(httpRequest))
    }

    /// The process's CPU time (user and system, microseconds) and its peak resident memory
    /// (bytes), for the status page's last request figures.
    private static func resourceUsage() -> (cpuMicroseconds: Int64, peakMemory: Int64) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu =
            (Int64(usage.ru_utime.tv_sec) + Int64(usage.ru_stime.tv_sec)) * 1_000_000 + Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec)
        return (cpu, Int64(usage.ru_maxrss) * 1024)
    }

    /// Writes an answer's bytes to `request` and finishes it (the request object can then take
    /// the next connection, or be freed).
    static func finish(_ request: UnsafeMutablePointer<FCGX_Request>, writing parts: [UInt8]...) {
        for part in parts { put(part, request.pointee.out) }
        closeWithoutLingering(request)
        FCGX_Finish_r(request)
    }

    /// libfcgi's close of a connection shuts down its sending side and then waits, up to two
    /// seconds, for the web server to close the other side, so that request bytes left unread
    /// cannot turn the close into a reset under the answer. That wait keeps the worker idle for a
    /// round trip through the scheduler on every request: the ceiling's C responder does 30% more
    /// requests per second without it. When the request has been read to its end, nothing is
    /// left to reset the connection, so the request is detached and the close is immediate; a
    /// body left unread (over the limit) keeps the lingering close.
    private static func closeWithoutLingering(_ request: UnsafeMutablePointer<FCGX_Request>) {
        if FCGX_GetChar(request.pointee.in) == -1 { FCGX_Detach(request) }
    }

    private static func put(_ bytes: [UInt8], _ stream: UnsafeMutablePointer<FCGX_Stream>) {
        bytes.withUnsafeBytes { bytes in
            _ = FCGX_PutStr(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), stream)
        }
    }
}
