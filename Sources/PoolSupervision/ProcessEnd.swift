import Glibc

/// How a worker process ended, read from its `waitpid` status.
public enum ProcessEnd: Equatable, Sendable, CustomStringConvertible {
    /// It called `exit` with this status.
    case exited(status: Int32)
    /// A signal ended it.
    case signaled(Int32)

    public init(waitStatus: Int32) {
        let signal = waitStatus & 0x7F
        self = signal == 0 ? .exited(status: (waitStatus >> 8) & 0xFF) : .signaled(signal)
    }

    /// The signals a process gets from its own failure: a bad memory access, an abort, a Swift
    /// runtime trap (`SIGILL` or `SIGTRAP`). Any other signal was sent by someone else: the OOM
    /// killer, an admin's `kill`, a watchdog, the master itself.
    public static let crashSignals: Set<Int32> = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS]

    /// The process failed by itself: an error exit or a crash signal.
    public var isOwnFailure: Bool {
        switch self {
        case .exited(let status): status != 0
        case .signaled(let signal): Self.crashSignals.contains(signal)
        }
    }

    /// `exited with status 1`, `was killed by signal 9 (Killed)`.
    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signaled(let signal): "was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
        }
    }
}
