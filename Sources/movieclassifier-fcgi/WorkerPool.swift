import CWorkerSignals
import Glibc

/// A fixed number of worker processes forked from the master, all accepting on the socket the
/// master opened. A worker that dies is replaced; SIGTERM or SIGINT stops them all, each after
/// the request it is serving. (Backoff, reloads and recycling belong to a later piece of work.)
struct WorkerPool {
    let size: Int
    /// Runs in each forked child; returns when the worker should exit.
    let work: () -> Void

    /// Forks the workers and supervises them until a stop signal; returns the exit status.
    func run() -> Int32 {
        var workers: [pid_t: ContinuousClock.Instant] = [:]
        for _ in 0..<size {
            guard let pid = spawn() else { return 1 }
            workers[pid] = .now
        }
        Log.info("\(size) workers started")
        while !workers.isEmpty {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if worker_signals_received() != 0 {
                stop(Array(workers.keys))
                return 0
            }
            if pid <= 0 {
                // Nothing exited: sleep until a signal or 50 ms, then look again.
                var pause = timespec(tv_sec: 0, tv_nsec: 50_000_000)
                nanosleep(&pause, nil)
                continue
            }
            guard let started = workers.removeValue(forKey: pid) else { continue }
            Log.error("worker \(pid) \(Self.describe(status)); starting a new one")
            if ContinuousClock.now - started < .seconds(1) { sleep(1) }
            guard let replacement = spawn() else { break }
            workers[replacement] = .now
        }
        stop(Array(workers.keys))
        return 1
    }

    private func spawn() -> pid_t? {
        let pid = fork()
        if pid == 0 {
            work()
            Glibc.exit(0)
        }
        if pid < 0 {
            Log.error("cannot start a worker: \(String(cString: strerror(errno)))")
            return nil
        }
        return pid
    }

    private func stop(_ workers: [pid_t]) {
        for pid in workers { kill(pid, SIGTERM) }
        for pid in workers {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        Log.info("stopped")
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
        return "was killed by signal \(signal)"
    }
}
