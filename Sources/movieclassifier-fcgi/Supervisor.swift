import Glibc
import PoolSupervision
import Telemetry

/// The master process: the system calls of the pool's supervision. Every decision is the
/// `PoolStateMachine`'s; this forks, signals, reaps, executes and reads the scoreboard.
///
/// It is single-threaded and has no signal handler: one loop takes the next signal or a 100 ms
/// tick, reaps the workers that exited or stopped, then lets the state machine look at the
/// scoreboard. Workers report through the shared `Scoreboard`, so the master learns when a
/// worker is ready and when a request started without any message.
struct Supervisor {
    /// What a forked worker runs: serve on the socket, noting its progress in its slot (and
    /// reading the whole scoreboard for the status pages).
    typealias Work = (Scoreboard, WorkerSlot) -> Never

    static let tick: Int64 = 100_000_000

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
    private var machine: PoolStateMachine

    init(settings: PoolSettings, socket: Int32, arguments: [String], work: @escaping Work, feedbackSummary: @escaping (Int64?) -> String)
        throws(SupervisorError)
    {
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
        scoreboard.set(Int64(time(nil)), at: TelemetryLayout.startedAt)
        scoreboard.set(Int64(settings.workers), at: TelemetryLayout.workers)
        machine = PoolStateMachine(settings: settings, slotCapacity: scoreboard.capacity)
    }

    /// Supervises until a stop. `handedOver` are the workers of the previous master image,
    /// which serve until this image's workers accept.
    mutating func run(handedOver: [pid_t]) throws(SupervisorError) {
        signals.block()
        if let outcome = perform(machine.begin(handedOver: handedOver, now: Monotonic.now())) { return try finish(outcome) }
        while true {
            let event = signals.next(within: Self.tick)
            let now = Monotonic.now()
            let actions: [PoolAction]
            switch event {
            case .reload: actions = machine.reload()
            case .stop: actions = machine.stop(now: now)
            case .quit: actions = machine.quit()
            case .report:
                report(now: now)
                actions = []
            case .childExited, nil: actions = []
            }
            if let outcome = perform(actions) { return try finish(outcome) }
            if let outcome = reap(now: now) { return try finish(outcome) }
            if let outcome = perform(machine.tick(now: now, readings: readings())) { return try finish(outcome) }
            publishCounters()
        }
    }

    /// Carries out `actions` in order; returns the outcome if one of them finishes the master.
    private mutating func perform(_ actions: [PoolAction]) -> PoolOutcome? {
        for action in actions {
            switch action {
            case .start(let generation, let index):
                let slot = scoreboard.slot(index)
                slot.reset()
                let pid = fork()
                if pid == 0 { work(scoreboard, slot) }
                let now = Monotonic.now()
                if pid > 0 {
                    slot.assign(pid: pid, startedAt: Int64(time(nil)))
                    machine.started(pid: pid, generation: generation, slot: index, now: now)
                } else if let outcome = perform(
                    machine.couldNotFork(generation: generation, slot: index, reason: String(cString: strerror(errno)), now: now))
                {
                    return outcome
                }
            case .signal(let pid, let signal):
                kill(pid, signal)
            case .reexecute:
                let failure = Handover(socket: socket, workers: Array(machine.workers.keys)).execute(arguments)
                if let outcome = perform(machine.reexecutionFailed(reason: failure, now: Monotonic.now())) { return outcome }
            case .info(let message):
                Log.info(message)
            case .error(let message):
                Log.error(message)
            case .finish(let outcome):
                return outcome
            }
        }
        return nil
    }

    private func finish(_ outcome: PoolOutcome) throws(SupervisorError) {
        switch outcome {
        case .stopped:
            return
        case .quit:
            for pid in machine.workers.keys {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            }
        case .gaveUp(let message):
            throw .gaveUp(message)
        }
    }

    /// Reaps every child that exited, stopped or continued, and tells the state machine.
    private mutating func reap(now: Int64) -> PoolOutcome? {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG | WUNTRACED | WCONTINUED)
            if pid <= 0 { return nil }
            // Unknown PIDs are the status reporter's children.
            guard let worker = machine.workers[pid] else { continue }
            switch WaitStatus(status) {
            case .stopped:
                machine.stopped(pid: pid, now: now)
            case .continued:
                machine.continued(pid: pid)
            case .ended(let end):
                let slot = worker.slot.map(scoreboard.slot)
                let actions = machine.exited(
                    pid: pid, end: end, wasReady: slot?.isReady ?? true, note: slot?.note, served: slot?.served ?? 0, now: now
                )
                slot?.release()
                if let outcome = perform(actions) { return outcome }
            }
        }
    }

    private func readings() -> [pid_t: SlotReading] {
        var readings: [pid_t: SlotReading] = [:]
        for (pid, worker) in machine.workers {
            if let index = worker.slot { readings[pid] = scoreboard.slot(index).reading }
        }
        return readings
    }

    // MARK: Status

    /// Copies the figures only the master knows to the scoreboard, where the workers answering
    /// `/status` and `/metrics` read them.
    private func publishCounters() {
        let counters = machine.counters
        let restarts: [(RestartReason, Int)] = [
            (.crash, counters.crashes), (.killed, counters.killed), (.recycled, counters.recycled), (.timeout, counters.timeouts),
            (.failedStart, counters.failedStarts),
        ]
        for (reason, count) in restarts { scoreboard.set(Int64(count), at: TelemetryLayout.restarts(reason)) }
        scoreboard.set(Int64(counters.maxActive), at: TelemetryLayout.maxActive)
        scoreboard.set(Int64(counters.maxChildrenReached), at: TelemetryLayout.maxChildrenReached)
    }

    /// Writes the pool's state to standard error in one piece, from a forked child that adds
    /// the feedback figures (it opens the database; the master does not).
    private func report(now: Int64) {
        var details: [pid_t: WorkerDetails] = [:]
        for (pid, worker) in machine.workers {
            guard let index = worker.slot else { continue }
            let slot = scoreboard.slot(index)
            details[pid] = WorkerDetails(reading: slot.reading, served: slot.served, watermark: slot.watermark, note: slot.note)
        }
        let status = machine.statusReport(now: now, masterPID: getpid(), details: details)
        let pid = fork()
        guard pid == 0 else {
            if pid < 0 { Log.emit(([status.head + " feedback=unknown"] + status.workers).joined(separator: "\n") + "\n") }
            return
        }
        Log.emit(([status.head + " " + feedbackSummary(status.oldestWatermark)] + status.workers).joined(separator: "\n") + "\n")
        _exit(0)
    }
}
