/// What the supervisor's state machine asks the process layer to do. The state machine makes
/// every decision; the layer only makes the system calls, so the rules are tested without a
/// process.
public enum PoolAction: Equatable, Sendable {
    /// Fork a worker for `generation` into scoreboard slot `slot`, then report `started` or
    /// `couldNotFork`.
    case start(generation: Int, slot: Int)
    /// `kill(pid, signal)`.
    case signal(Int32, Int32)
    /// Execute the master's binary again, handing over the socket and the workers (a reload);
    /// report `reexecutionFailed` if that returns.
    case reexecute
    case info(String)
    case error(String)
    /// The master is done: the process layer returns with this outcome.
    case finish(PoolOutcome)
}
