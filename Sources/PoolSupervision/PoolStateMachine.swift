import Glibc

/// Every decision of the master: which workers to start and when, which to signal, when a
/// reload is complete or abandoned, when a stop is over, and when to give up. It makes no
/// system call: the process layer (`Supervisor` in `movieclassifier-fcgi`) feeds it events
/// (a worker forked, exited, stopped; a tick with the scoreboard's readings; a signal to the
/// master) and carries out the `PoolAction`s it returns.
///
/// The rules it keeps:
/// - A worker that dies before it is ready (model loaded, database open, accepting), by its
///   own error exit or a crash signal, *failed to start*. Only those count towards giving up,
///   and only until some worker of the pool has been ready: a broken model or an unwritable
///   folder at start stops the master at once with the workers' own error, while a pool that
///   has served never stops by itself. It backs off (0.1 s, 0.2 s, ... up to 10 s) and keeps
///   trying.
/// - A worker killed from outside (SIGKILL from the OOM killer or an admin, SIGTERM, SIGINT),
///   one that crashed after it was ready, and one that exited after `--max-requests` are
///   replaced at once and never count as failed starts.
/// - A request past `--request-timeout`, or a worker stopped (SIGSTOP) for longer than it,
///   has the worker killed and replaced.
/// - A reload starts a new generation beside the serving one and tells the old workers to
///   finish only when as many new ones are ready; if the new ones keep failing to start, the
///   reload is abandoned and the old ones keep serving.
public struct PoolStateMachine: Sendable {
    /// One worker process, as the master knows it.
    public struct Worker: Sendable, Equatable {
        public let generation: Int
        /// Its scoreboard slot; nil for a worker handed over by the previous master image.
        public let slot: Int?
        public let startedAt: Int64
        /// Seen ready on the scoreboard (handed-over workers have served).
        public fileprivate(set) var ready: Bool
        /// When it was told to finish its requests and exit.
        public fileprivate(set) var stopSentAt: Int64?
        /// The master killed it (a timeout, a stop past its deadline): its end is expected.
        public fileprivate(set) var killedByMaster = false
        /// Stopped by SIGSTOP since then; nil while it runs.
        public fileprivate(set) var stoppedAt: Int64?
    }

    /// What happened since the master started, for the status report.
    public struct Counters: Sendable, Equatable {
        /// Workers started to replace one that ended.
        public var restarts = 0
        /// Workers that failed after they were ready: an error exit or a crash signal.
        public var crashes = 0
        /// Workers that failed to start.
        public var failedStarts = 0
        /// Workers killed by a signal from outside the pool.
        public var killed = 0
        /// Workers that exited after `--max-requests`.
        public var recycled = 0
        /// Workers killed for a request past `--request-timeout`, or stopped for longer.
        public var timeouts = 0
        /// The most workers seen busy at once, on a tick (php-fpm's `max active processes`).
        public var maxActive = 0
        /// Times a tick found every worker busy after one that did not (php-fpm's `max
        /// children reached`: a pool that needs more workers).
        public var maxChildrenReached = 0
    }

    /// The longest wait before starting a worker again after failed starts.
    public static let maximumBackoff: Int64 = 10_000_000_000
    /// The first wait after a failed start; each further failure in a row doubles it.
    public static let firstBackoff: Int64 = 100_000_000
    /// How long after a failed fork the master tries again.
    public static let forkRetry: Int64 = 1_000_000_000

    public let settings: PoolSettings
    /// Scoreboard slots there are to give out.
    public let slotCapacity: Int
    public private(set) var workers: [Int32: Worker] = [:]
    /// The generation that serves; a reload starts the next one (`incoming`) beside it.
    public private(set) var serving = 1
    public private(set) var incoming: Int?
    /// Failed starts in a row, by generation: a worker of it becoming ready resets it.
    public private(set) var failedStartsInARow: [Int: Int] = [:]
    /// Some worker of this pool has been ready (the handed-over workers of a reload have).
    public private(set) var hasServed = false
    public private(set) var counters = Counters()
    /// When a graceful stop must be over; nil while the pool runs.
    public private(set) var stopDeadline: Int64?
    private var latestGeneration = 1
    private var pendingStarts: [(generation: Int, due: Int64)] = []
    /// Slots given out in a `start` action whose fork has not been reported yet.
    private var reservedSlots: Set<Int> = []
    private var killedAll = false
    /// The last tick found every worker of the pool busy.
    private var saturated = false

    public init(settings: PoolSettings, slotCapacity: Int) {
        self.settings = settings
        self.slotCapacity = slotCapacity
    }

    // MARK: Events

    /// The master begins: it starts the pool, or, after a reload's exec, takes over the
    /// previous image's workers (which serve until the new ones are ready).
    public mutating func begin(handedOver: [Int32], now: Int64) -> [PoolAction] {
        if handedOver.isEmpty {
            return (0..<settings.workers).flatMap { _ in start(generation: serving, now: now) }
                + [.info("\(settings.workers) workers started")]
        }
        serving = 0
        hasServed = true
        for pid in handedOver { workers[pid] = Worker(generation: 0, slot: nil, startedAt: now, ready: true) }
        return [.info("reload: the new image starts \(settings.workers) workers beside the \(handedOver.count) old ones")]
            + startIncomingGeneration(now: now)
    }

    /// The process layer forked the worker of a `start` action.
    public mutating func started(pid: Int32, generation: Int, slot: Int, now: Int64) {
        reservedSlots.remove(slot)
        workers[pid] = Worker(generation: generation, slot: slot, startedAt: now, ready: false)
    }

    /// The fork of a `start` action failed: try again in a second.
    public mutating func couldNotFork(generation: Int, slot: Int, reason: String, now: Int64) -> [PoolAction] {
        reservedSlots.remove(slot)
        pendingStarts.append((generation, now + Self.forkRetry))
        return [.error("cannot start a worker: \(reason); trying again in a second")]
    }

    /// A worker exited. `wasReady` is what its slot said at the end; `note` what the worker
    /// wrote there (why it could not start); `served` its requests.
    public mutating func exited(pid: Int32, end: ProcessEnd, wasReady: Bool, note: String?, served: Int64, now: Int64) -> [PoolAction] {
        guard let worker = workers.removeValue(forKey: pid) else { return [] }
        let ready = wasReady || worker.ready
        if ready { hasServed = true }
        if stopDeadline != nil || worker.stopSentAt != nil {
            return [.info("worker \(pid) \(end) after finishing its requests")]
        }
        guard worker.generation == serving || worker.generation == incoming else {
            return [.info("old worker \(pid) \(end)")]
        }
        if worker.killedByMaster {
            return replace(in: worker.generation, after: 0, now: now)
        }
        if !ready && end.isOwnFailure {
            return failedStart(pid: pid, worker, end: end, note: note, now: now)
        }
        switch end {
        case .exited(status: 0):
            counters.recycled += 1
            return [.info("worker \(pid) exited after \(served) requests; starting a new one")] + replace(in: worker.generation, after: 0, now: now)
        case .signaled(let signal) where !ProcessEnd.crashSignals.contains(signal):
            counters.killed += 1
            return [.error("worker \(pid) \(end); starting a new one")] + replace(in: worker.generation, after: 0, now: now)
        default:
            counters.crashes += 1
            let why = note.map { ": \($0)" } ?? ""
            return [.error("worker \(pid) \(end) while serving\(why); starting a new one")] + replace(in: worker.generation, after: 0, now: now)
        }
    }

    /// A worker was stopped by a signal (SIGSTOP, SIGTSTP): it serves nothing until continued.
    public mutating func stopped(pid: Int32, now: Int64) {
        guard let worker = workers[pid], worker.stoppedAt == nil else { return }
        workers[pid]?.stoppedAt = now
    }

    /// A stopped worker was continued (SIGCONT).
    public mutating func continued(pid: Int32) {
        workers[pid]?.stoppedAt = nil
    }

    /// The master's regular look at the pool (every 100 ms, and after every event), with what
    /// each worker's slot says.
    public mutating func tick(now: Int64, readings: [Int32: SlotReading]) -> [PoolAction] {
        for (pid, reading) in readings where reading.ready {
            guard let worker = workers[pid], !worker.ready else { continue }
            workers[pid]?.ready = true
            hasServed = true
            failedStartsInARow[worker.generation] = nil
        }
        countBusyWorkers(readings)
        if let stopDeadline {
            if workers.isEmpty { return [.info("stopped"), .finish(.stopped)] }
            guard now > stopDeadline, !killedAll else { return [] }
            killedAll = true
            return [.error("\(workers.count) workers still busy after --stop-timeout; killing them")]
                + workers.keys.sorted().map { .signal($0, SIGKILL) }
        }
        return finishReloadIfReady(now: now) + enforceDeadlines(now: now, readings: readings) + startDueWorkers(now: now)
    }

    private mutating func countBusyWorkers(_ readings: [Int32: SlotReading]) {
        let busy = readings.values.count { $0.ready && $0.requestStartedAt != nil }
        counters.maxActive = max(counters.maxActive, busy)
        let isSaturated = busy >= settings.workers
        if isSaturated && !saturated { counters.maxChildrenReached += 1 }
        saturated = isSaturated
    }

    /// SIGHUP: execute the binary again (or, where that fails, start a new generation here).
    public mutating func reload() -> [PoolAction] {
        guard stopDeadline == nil else { return [] }
        return [.info("reload: executing the binary again"), .reexecute]
    }

    /// The exec of a reload returned: start the new workers from the running image instead.
    public mutating func reexecutionFailed(reason: String, now: Int64) -> [PoolAction] {
        [.error("\(reason); starting new workers from the running binary instead")] + (incoming == nil ? startIncomingGeneration(now: now) : [])
    }

    /// SIGTERM or SIGINT: no new workers; the running ones finish their requests and exit.
    public mutating func stop(now: Int64) -> [PoolAction] {
        guard stopDeadline == nil else { return [] }
        stopDeadline = now + settings.stopTimeout
        incoming = nil
        pendingStarts = []
        return [.info("stopping: \(workers.count) workers finish their requests and exit")]
            + workers.filter { $0.value.stopSentAt == nil }.keys.sorted().map { .signal($0, SIGTERM) }
    }

    /// SIGQUIT: kill every worker and finish.
    public mutating func quit() -> [PoolAction] {
        [.info("quit: killing \(workers.count) workers")] + workers.keys.sorted().map { .signal($0, SIGKILL) } + [.finish(.quit)]
    }

    // MARK: Starting

    private mutating func start(generation: Int, now: Int64) -> [PoolAction] {
        let used = Set(workers.values.compactMap(\.slot)).union(reservedSlots)
        guard let slot = (0..<slotCapacity).first(where: { !used.contains($0) }) else {
            pendingStarts.append((generation, now + Self.firstBackoff))
            return [.error("no free scoreboard slot (old workers are still finishing); starting a worker later")]
        }
        reservedSlots.insert(slot)
        return [.start(generation: generation, slot: slot)]
    }

    private mutating func startDueWorkers(now: Int64) -> [PoolAction] {
        let due = pendingStarts.filter { $0.due <= now }
        pendingStarts.removeAll { $0.due <= now }
        return due.filter { $0.generation == serving || $0.generation == incoming }.flatMap { start(generation: $0.generation, now: now) }
    }

    /// A replacement for a worker of `generation`, after `delay`: started by the tick that
    /// follows this event.
    private mutating func replace(in generation: Int, after delay: Int64, now: Int64) -> [PoolAction] {
        counters.restarts += 1
        pendingStarts.append((generation, now + delay))
        return []
    }

    /// 0.1 s, 0.2 s, 0.4 s, ... up to 10 s, after `failures` failed starts in a row.
    public static func backoff(afterFailedStarts failures: Int) -> Int64 {
        failures <= 0 ? 0 : min(firstBackoff << min(failures - 1, 20), maximumBackoff)
    }

    /// When the next worker waiting for its start is due, if one is.
    public var nextStartDue: Int64? { pendingStarts.map(\.due).min() }

    private mutating func failedStart(pid: Int32, _ worker: Worker, end: ProcessEnd, note: String?, now: Int64) -> [PoolAction] {
        counters.failedStarts += 1
        let failures = failedStartsInARow[worker.generation, default: 0] + 1
        failedStartsInARow[worker.generation] = failures
        let why = "the last one \(end)" + (note.map { ": \($0)" } ?? "")
        if failures >= settings.startFailureLimit {
            if worker.generation == incoming {
                return abandonReload(now: now, reason: "\(failures) new workers in a row could not start (\(why))")
            }
            if !hasServed {
                let message =
                    "\(failures) workers in a row could not start (\(why)); no worker of the pool has been ready, so none will. "
                    + "Stopping: fix the cause (a missing or corrupt model file, a database folder the workers cannot write, ...) and start again."
                return workers.keys.sorted().map { .signal($0, SIGKILL) } + [.finish(.gaveUp(message))]
            }
        }
        let delay = Self.backoff(afterFailedStarts: failures)
        let retrying = failures >= settings.startFailureLimit ? "; the pool keeps serving with the workers it has and keeps trying" : ""
        return [
            .error(
                "worker \(pid) could not start: it \(end)\(note.map { " (\($0))" } ?? ""); starting a new one in \(Self.seconds(delay)) s "
                    + "(\(failures) failed start\(failures == 1 ? "" : "s") in a row\(retrying))")
        ] + replace(in: worker.generation, after: delay, now: now)
    }

    // MARK: Deadlines

    private mutating func enforceDeadlines(now: Int64, readings: [Int32: SlotReading]) -> [PoolAction] {
        var actions: [PoolAction] = []
        for (pid, worker) in workers.sorted(by: { $0.key < $1.key }) where !worker.killedByMaster {
            var reason: String?
            if let timeout = settings.requestTimeout {
                if let started = readings[pid]?.requestStartedAt, now - started > timeout {
                    reason = "a request has run for \(Self.seconds(now - started)) s, past --request-timeout; killing the worker"
                } else if let stoppedAt = worker.stoppedAt, now - stoppedAt > timeout {
                    reason = "stopped by a signal for \(Self.seconds(now - stoppedAt)) s, past --request-timeout; killing it"
                }
            }
            if reason != nil {
                counters.timeouts += 1
            } else if let stopSentAt = worker.stopSentAt, now - stopSentAt > settings.stopTimeout {
                reason = "still busy after --stop-timeout; killing it"
            }
            guard let reason else { continue }
            workers[pid]?.killedByMaster = true
            actions += [.error("\(worker.stopSentAt == nil ? "worker" : "old worker") \(pid): \(reason)"), .signal(pid, SIGKILL)]
        }
        return actions
    }

    // MARK: Reload

    private mutating func startIncomingGeneration(now: Int64) -> [PoolAction] {
        latestGeneration += 1
        incoming = latestGeneration
        return (0..<settings.workers).flatMap { _ in start(generation: latestGeneration, now: now) }
    }

    /// Once as many new workers are ready as the pool has, tells the old ones to finish their
    /// request and exit: the socket never lacks a worker accepting.
    private mutating func finishReloadIfReady(now: Int64) -> [PoolAction] {
        guard let incoming else { return [] }
        let ready = workers.values.filter { $0.generation == incoming && $0.ready }.count
        guard ready >= settings.workers else { return [] }
        let old = workers.filter { $0.value.generation != incoming && $0.value.stopSentAt == nil }.keys.sorted()
        for pid in old { workers[pid]?.stopSentAt = now }
        serving = incoming
        self.incoming = nil
        pendingStarts.removeAll { $0.generation != serving }
        return old.map { .signal($0, SIGTERM) } + [
            .info("reloaded: \(ready) new workers accept; \(old.count) old ones finish their requests and exit")
        ]
    }

    private mutating func abandonReload(now: Int64, reason: String) -> [PoolAction] {
        guard let incoming else { return [] }
        let new = workers.filter { $0.value.generation == incoming }.keys.sorted()
        for pid in new { workers[pid]?.stopSentAt = now }
        self.incoming = nil
        pendingStarts.removeAll { $0.generation != serving }
        return [.error("reload abandoned: \(reason); the old workers keep serving")] + new.map { .signal($0, SIGTERM) }
    }

    /// Nanoseconds as seconds, for the log: `0.4`, `10.0`.
    static func seconds(_ nanoseconds: Int64) -> String {
        let tenths = (nanoseconds + 50_000_000) / 100_000_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
