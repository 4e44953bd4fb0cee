/// Why the master started a worker to replace one that ended: the `reason` label of the
/// restart counter, one per counter of `PoolStateMachine.Counters`.
public enum RestartReason: Int, CaseIterable, Sendable {
    /// It failed after it was ready: an error exit or a crash signal.
    case crash
    /// A signal from outside the pool ended it (the OOM killer, an admin's `kill`).
    case killed
    /// It exited after `--max-requests`.
    case recycled
    /// The master killed it for a request past `--request-timeout`, or stopped for longer.
    case timeout
    /// It died before it was ready.
    case failedStart

    public var label: String {
        switch self {
        case .crash: "crash"
        case .killed: "killed"
        case .recycled: "recycled"
        case .timeout: "timeout"
        case .failedStart: "failed_start"
        }
    }
}
