/// When a worker waits for the listening socket before it accepts, and when it accepts at once.
///
/// Waiting (`epoll_pwait` with the stop signals unblocked) is where a worker learns of a stop:
/// the signals are blocked everywhere else, so that none interrupts a request. Under load a
/// connection is nearly always queued when a request ends, and the wait is a system call that
/// returns at once; so a worker tries the accept first, and waits only when the accept found the
/// queue empty or after `maximumStreak` accepts in a row without a wait, which bounds how many
/// requests a busy worker serves after a stop signal arrives.
public struct AcceptPacing: Sendable, Equatable {
    /// The most accepts in a row without a wait.
    public let maximumStreak: Int
    /// Accepts since the last wait.
    public private(set) var streak = 0
    private var queueWasEmpty = true

    public init(maximumStreak: Int = 32) {
        precondition(maximumStreak >= 1, "a worker must be able to accept at least once between waits")
        self.maximumStreak = maximumStreak
    }

    /// Whether to wait before the next accept: at the start, after an accept found no
    /// connection, and once `maximumStreak` accepts have gone by without a wait.
    public var shouldWait: Bool {
        queueWasEmpty || streak >= maximumStreak
    }

    /// The worker waited until the socket was readable (or a signal came).
    public mutating func waited() {
        streak = 0
        queueWasEmpty = false
    }

    /// An accept took a connection.
    public mutating func accepted() {
        streak += 1
    }

    /// An accept found no connection queued (another worker took it first, or none came).
    public mutating func foundEmpty() {
        queueWasEmpty = true
    }
}
