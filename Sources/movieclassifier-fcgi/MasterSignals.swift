import Glibc

/// The signals the master acts on. They are blocked in the master and taken one at a time with
/// `sigtimedwait` from its loop, so no handler ever runs inside the master: its state changes
/// only in ordinary code, and it needs no C. The mask is inherited through fork (each worker
/// sets its own, see `worker_signals_install`) and through exec (a new master image finds a
/// signal that arrived meanwhile still pending).
struct MasterSignals {
    enum Event {
        /// SIGCHLD: a worker exited.
        case childExited
        /// SIGHUP: graceful reload.
        case reload
        /// SIGTERM or SIGINT: graceful stop.
        case stop
        /// SIGQUIT: immediate stop.
        case quit
        /// SIGUSR1: print the status report.
        case report
    }

    private var set = sigset_t()

    init() {
        sigemptyset(&set)
        for signal in [SIGCHLD, SIGHUP, SIGTERM, SIGINT, SIGQUIT, SIGUSR1] { sigaddset(&set, signal) }
    }

    /// Blocks the signals: from now on they wait, pending, until `next`.
    func block() {
        var set = set
        sigprocmask(SIG_BLOCK, &set, nil)
    }

    /// The next signal, waiting at most `timeout` nanoseconds; nil when none came.
    func next(within timeout: Int64) -> Event? {
        var set = set
        var info = siginfo_t()
        var wait = timespec(tv_sec: Int(timeout / 1_000_000_000), tv_nsec: Int(timeout % 1_000_000_000))
        switch sigtimedwait(&set, &info, &wait) {
        case SIGCHLD: return .childExited
        case SIGHUP: return .reload
        case SIGTERM, SIGINT: return .stop
        case SIGQUIT: return .quit
        case SIGUSR1: return .report
        default: return nil
        }
    }
}
