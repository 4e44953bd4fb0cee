import Glibc

/// How the pool runs: the values of the command line's pool options.
struct PoolSettings {
    var workers: Int
    /// A worker exits after serving this many requests and is replaced (nil: never).
    var maxRequests: Int?
    /// A request running longer than this (nanoseconds) has its worker killed and replaced (nil: never).
    var requestTimeout: Int64?
    /// How long the workers of a graceful stop, and the old workers of a reload, may take to
    /// finish their requests before they are killed (nanoseconds).
    var stopTimeout: Int64

    /// Workers in a row that die within `Supervisor.earlyDeath` of starting before the master
    /// concludes that every worker will (a corrupt model file, an unwritable database folder).
    var crashLoopLimit: Int { max(workers, 3) }
}

/// Why the master gave up.
enum SupervisorError: Error, CustomStringConvertible {
    case crashLoop(count: Int, last: String)
    case scoreboard(Scoreboard.Failure)

    var description: String {
        switch self {
        case .crashLoop(let count, let last):
            "\(count) workers in a row died within a second of starting (the last one \(last)); the errors above say why "
                + "(a missing or corrupt model file, a database folder the workers cannot write, ...). Stopping: fix it and start again."
        case .scoreboard(let failure):
            "\(failure)"
        }
    }
}

/// The master process: starts the workers, replaces those that die, reloads and stops them on
/// signals, cuts off stuck requests, and reports the pool's state.
///
/// It is single-threaded and has no signal handler: one loop takes the next signal or a 100 ms
/// tick, reaps the workers that exited, then checks the deadlines. Workers report through the
/// shared `Scoreboard`, so the master learns when a request started without any message.
struct Supervisor {
    /// What a forked worker runs: serve on the socket, noting its progress in the slot.
    typealias Work = (WorkerSlot) -> Never

    static let tick: Int64 = 100_000_000
    /// A worker dying sooner than this after its start counts towards a crash loop.
    static let earlyDeath: Int64 = 1_000_000_000

    let settings: PoolSettings
    let socket: Int32
    /// The master's command line, executed again on SIGHUP.
    let arguments: [String]
    let work: Work
    /// Runs in a short-lived child forked for the status report (the master itself never opens
    /// the database, so it never starts a thread and forks safely): the feedback part of the
    /// report, given the oldest watermark a worker holds.
    let feedbackSummary: (_ oldestWatermark: Int64?) -> String

    private let signals = MasterSignals()
    private let scoreboard: Scoreboard
    private var workers: [pid_t: WorkerRecord] = [:]
    /// The generation that serves; a reload starts the next one (`incoming`) beside it.
    private var serving = 1
    private var incoming: Int?
    private var latestGeneration = 1
    private var earlyDeaths: [Int: Int] = [:]
    private var pendingStarts: [(generation: Int, due: Int64)] = []
    private var stopDeadline: Int64?
    private var killedAll = false
    private var counters = Counters()

    private struct WorkerRecord {
        let generation: Int
        /// Its scoreboard slot; nil for a worker handed over by the previous master image.
        let slot: Int?
        let startedAt: Int64
        var stopSentAt: Int64?
        var killed = false
    }

    private struct Counters {
        var restarts = 0
        var crashes = 0
        var recycled = 0
        var timeouts = 0
    }

    init(settings: PoolSettings, socket: Int32, arguments: [String], work: @escaping Work, feedbackSummary: @escaping (Int64?) -> String) throws(SupervisorError) {
        self.settings = settings
        self.socket = socket
        self.arguments = arguments
        self.work = work
        self.feedbackSummary = feedbackSummary
        do {
            // Room for a reload's two generations and for old workers still finishing.
            scoreboard = try Scoreboard(capacity: 4 * settings.workers)
        } catch {
            throw .scoreboard(error)
        }
    }

    /// Supervises until a stop. `handedOver` are the workers of the previous master image,
    /// which serve until this image's workers accept.
    mutating func run(handedOver: [pid_t]) throws(SupervisorError) {
        signals.block()
        let now = Monotonic.now()
        if handedOver.isEmpty {
            for _ in 0..<settings.workers { start(generation: serving, now: now) }
            Log.info("\(settings.workers) workers started")
        } else {
            serving = 0
            for pid in handedOver { workers[pid] = WorkerRecord(generation: 0, slot: nil, startedAt: now) }
            Log.info("reload: the new image starts \(settings.workers) workers beside the \(handedOver.count) old ones")
            startIncomingGeneration(now: now)
        }
        while true {
            let event = signals.next(within: Self.tick)
            let now = Monotonic.now()
            switch event {
            case .reload: reload(now: now)
            case .stop: beginStop(now: now)
            case .quit:
                quit()
                return
            case .report: report(now: now)
            case .childExited, nil: break
            }
            try reap(now: now)
            if let stopDeadline {
                if workers.isEmpty {
                    Log.info("stopped")
                    return
                }
                if now > stopDeadline && !killedAll {
                    Log.error("\(workers.count) workers still busy after --stop-timeout; killing them")
                    for pid in workers.keys { kill(pid, SIGKILL) }
                    killedAll = true
                }
                continue
            }
            finishReloadIfReady(now: now)
            forgiveEarlyDeaths(now: now)
            enforceDeadlines(now: now)
            startDueWorkers(now: now)
        }
    }

    // MARK: Starting

    @discardableResult
    private mutating func start(generation: Int, now: Int64) -> Bool {
        let used = Set(workers.values.compactMap(\.slot))
        guard let index = (0..<scoreboard.capacity).first(where: { !used.contains($0) }) else {
            Log.error("no free scoreboard slot (old workers are still finishing); starting a worker later")
            pendingStarts.append((generation, now + Self.tick))
            return false
        }
        let slot = scoreboard.slot(index)
        slot.reset()
        let pid = fork()
        if pid == 0 { work(slot) }
        guard pid > 0 else {
            Log.error("cannot start a worker: \(String(cString: strerror(errno))); trying again in a second")
            pendingStarts.append((generation, now + Self.earlyDeath))
            return false
        }
        workers[pid] = WorkerRecord(generation: generation, slot: index, startedAt: now)
        return true
    }

    private mutating func startDueWorkers(now: Int64) {
        let due = pendingStarts.filter { $0.due <= now }
        pendingStarts.removeAll { $0.due <= now }
        for entry in due where entry.generation == serving || entry.generation == incoming {
            start(generation: entry.generation, now: now)
        }
    }

    /// A replacement for a worker of `generation`, after `delay`.
    private mutating func replace(in generation: Int, after delay: Int64, now: Int64) {
        counters.restarts += 1
        pendingStarts.append((generation, now + delay))
    }

    /// 0.1 s, 0.2 s, 0.4 s, ... up to 10 s after `deaths` early deaths in a row; none after a worker that ran.
    private static func backoff(afterEarlyDeaths deaths: Int) -> Int64 {
        deaths == 0 ? 0 : min(Self.tick << min(deaths - 1, 20), 10_000_000_000)
    }

    // MARK: Exits

    private mutating func reap(now: Int64) throws(SupervisorError) {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid <= 0 { return }
            // Unknown PIDs are the status reporter's children.
            guard let record = workers.removeValue(forKey: pid) else { continue }
            try handleExit(of: pid, record, status: status, now: now)
        }
    }

    private mutating func handleExit(of pid: pid_t, _ record: WorkerRecord, status: Int32, now: Int64) throws(SupervisorError) {
        let how = Self.describe(status)
        if stopDeadline != nil || record.stopSentAt != nil {
            Log.info("worker \(pid) \(how) after finishing its requests")
            return
        }
        guard record.generation == serving || record.generation == incoming else {
            Log.info("old worker \(pid) \(how)")
            return
        }
        if record.killed {
            replace(in: record.generation, after: 0, now: now)
            return
        }
        if status == 0 {
            counters.recycled += 1
            Log.info("worker \(pid) exited after \(record.slot.map { scoreboard.slot($0).served } ?? 0) requests; starting a new one")
            replace(in: record.generation, after: 0, now: now)
            return
        }
        counters.crashes += 1
        let early = now - record.startedAt < Self.earlyDeath
        let deaths = early ? earlyDeaths[record.generation, default: 0] + 1 : 0
        earlyDeaths[record.generation] = deaths
        if deaths >= settings.crashLoopLimit {
            if record.generation == incoming {
                abandonReload(now: now, reason: "\(deaths) new workers in a row died within a second of starting (the last one \(how))")
                return
            }
            for pid in workers.keys { kill(pid, SIGKILL) }
            throw .crashLoop(count: deaths, last: how)
        }
        let delay = Self.backoff(afterEarlyDeaths: deaths)
        Log.error("worker \(pid) \(how); starting a new one" + (delay > 0 ? " in \(Monotonic.seconds(delay)) s" : ""))
        replace(in: record.generation, after: delay, now: now)
    }

    /// A worker whose model has been loaded for a second has survived its start: the crash-loop
    /// count of its generation starts again.
    private mutating func forgiveEarlyDeaths(now: Int64) {
        for record in workers.values where earlyDeaths[record.generation, default: 0] > 0 {
            if let index = record.slot, scoreboard.slot(index).isReady, now - record.startedAt >= Self.earlyDeath {
                earlyDeaths[record.generation] = 0
            }
        }
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
        return "was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
    }

    // MARK: Deadlines

    /// Kills the workers whose request has run past `--request-timeout`, and the old workers
    /// still finishing past `--stop-timeout`.
    private mutating func enforceDeadlines(now: Int64) {
        for (pid, record) in workers where !record.killed {
            if let timeout = settings.requestTimeout, let index = record.slot,
                let started = scoreboard.slot(index).requestStartedAt, now - started > timeout
            {
                Log.error("worker \(pid): a request has run for \(Monotonic.seconds(now - started)) s, past --request-timeout; killing the worker")
                kill(pid, SIGKILL)
                workers[pid]?.killed = true
                counters.timeouts += 1
            } else if let stopSentAt = record.stopSentAt, now - stopSentAt > settings.stopTimeout {
                Log.error("old worker \(pid) is still busy after --stop-timeout; killing it")
                kill(pid, SIGKILL)
                workers[pid]?.killed = true
            }
        }
    }

    // MARK: Reload

    /// Executes the master's binary again with the socket and the workers handed over, which
    /// brings a new binary, new settings and a new model; if that cannot be done, starts the
    /// new workers from this image.
    private mutating func reload(now: Int64) {
        guard stopDeadline == nil else { return }
        Log.info("reload: executing \(arguments[0]) again")
        let failure = Handover(socket: socket, workers: Array(workers.keys)).execute(arguments)
        Log.error("\(failure); starting new workers from the running binary instead")
        if incoming == nil { startIncomingGeneration(now: now) }
    }

    private mutating func startIncomingGeneration(now: Int64) {
        latestGeneration += 1
        incoming = latestGeneration
        for _ in 0..<settings.workers { start(generation: latestGeneration, now: now) }
    }

    /// Once every new worker has its model loaded and waits for connections, tells the old ones
    /// to finish their request and exit: the socket never lacks a worker accepting.
    private mutating func finishReloadIfReady(now: Int64) {
        guard let incoming else { return }
        let ready = workers.values.filter { record in
            record.generation == incoming && record.slot.map { scoreboard.slot($0).isReady } == true
        }.count
        guard ready >= settings.workers else { return }
        let old = workers.filter { $0.value.generation != incoming && $0.value.stopSentAt == nil }.map(\.key)
        for pid in old {
            kill(pid, SIGTERM)
            workers[pid]?.stopSentAt = now
        }
        serving = incoming
        self.incoming = nil
        pendingStarts.removeAll { $0.generation != serving }
        Log.info("reloaded: \(ready) new workers accept; \(old.count) old ones finish their requests and exit")
    }

    private mutating func abandonReload(now: Int64, reason: String) {
        guard let incoming else { return }
        Log.error("reload abandoned: \(reason); the old workers keep serving")
        for (pid, record) in workers where record.generation == incoming {
            kill(pid, SIGTERM)
            workers[pid]?.stopSentAt = now
        }
        self.incoming = nil
        pendingStarts.removeAll { $0.generation != serving }
    }

    // MARK: Stop

    private mutating func beginStop(now: Int64) {
        guard stopDeadline == nil else { return }
        stopDeadline = now + settings.stopTimeout
        incoming = nil
        pendingStarts = []
        Log.info("stopping: \(workers.count) workers finish their requests and exit")
        for (pid, record) in workers where record.stopSentAt == nil {
            kill(pid, SIGTERM)
        }
    }

    private func quit() {
        Log.info("quit: killing \(workers.count) workers")
        for pid in workers.keys { kill(pid, SIGKILL) }
        for pid in workers.keys {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }

    // MARK: Status

    /// Writes the pool's state to standard error in one piece, from a forked child that adds
    /// the feedback figures (it opens the database; the master does not).
    private func report(now: Int64) {
        var lines: [String] = []
        var oldestWatermark: Int64?
        for (pid, record) in workers.sorted(by: { ($0.value.generation, $0.key) < ($1.value.generation, $1.key) }) {
            guard let index = record.slot else {
                lines.append("worker pid=\(pid) generation=\(record.generation) state=\(record.stopSentAt == nil ? "handed-over" : "stopping") served=? request_age=? watermark=?")
                continue
            }
            let slot = scoreboard.slot(index)
            let started = slot.requestStartedAt
            let state = record.stopSentAt != nil ? "stopping" : !slot.isReady ? "starting" : started == nil ? "idle" : "busy"
            let age = started.map { Self.tenths(now - $0) + "s" } ?? "-"
            if slot.isReady { oldestWatermark = min(oldestWatermark ?? slot.watermark, slot.watermark) }
            lines.append("worker pid=\(pid) generation=\(record.generation) state=\(state) served=\(slot.served) request_age=\(age) watermark=\(slot.isReady ? String(slot.watermark) : "-")")
        }
        let head = "status pid=\(getpid()) workers=\(settings.workers) generation=\(serving) reloading=\(incoming != nil ? "yes" : "no") "
            + "restarts=\(counters.restarts) crashes=\(counters.crashes) recycled=\(counters.recycled) timeouts=\(counters.timeouts)"
        let pid = fork()
        guard pid == 0 else {
            if pid < 0 { Log.emit(([head + " feedback=unknown"] + lines).joined(separator: "\n") + "\n") }
            return
        }
        Log.emit(([head + " " + feedbackSummary(oldestWatermark)] + lines).joined(separator: "\n") + "\n")
        _exit(0)
    }

    /// Nanoseconds as seconds with one decimal: `2.3`.
    private static func tenths(_ nanoseconds: Int64) -> String {
        let tenths = (nanoseconds + 50_000_000) / 100_000_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
