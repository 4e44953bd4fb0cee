/// How a master ends.
public enum PoolOutcome: Equatable, Sendable {
    /// A graceful stop: every worker finished its requests and exited.
    case stopped
    /// An immediate stop (SIGQUIT): the workers were killed; wait for them, then exit.
    case quit
    /// No worker of the pool ever became ready, and the last ones failed to start: every
    /// further one would too. The message says why.
    case gaveUp(String)
}
