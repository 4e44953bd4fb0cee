/// When a worker must look for news (feedback committed, a decision, a replaced model file)
/// before it answers: when the store's change counter has moved since it last looked, or when
/// its last full look is `fullCheckInterval` old, for the writers that do not move the counter
/// (the book's scripts, a model file copied into place by hand, a writer killed between its
/// commit and the move). Without a counter, before every answer.
///
/// So a change by any process of this project is seen before the next answer of every worker,
/// and any other change within `fullCheckInterval`. The decision only: the caller reads the
/// counter and the clock.
public struct ChangeCheck: Sendable {
    /// The longest a change that does not move the counter goes unseen.
    public let fullCheckInterval: Duration
    /// The counter when the worker last looked.
    private var seenCount: Int64?
    /// When it last looked.
    private var lastLook: ContinuousClock.Instant?

    public init(fullCheckInterval: Duration) {
        self.fullCheckInterval = fullCheckInterval
    }

    /// Whether to look now, given the counter (nil: the store has none) and the time; a `true`
    /// counts as the look, so the caller must then look.
    public mutating func isDue(count: Int64?, now: ContinuousClock.Instant) -> Bool {
        if let count, count == seenCount, let lastLook, now - lastLook < fullCheckInterval { return false }
        seenCount = count
        lastLook = now
        return true
    }

    /// Takes the counter's move by the caller's own write as seen, when `countBefore` (the
    /// counter just before that write moved it) is the value of the last look: nobody else
    /// announced anything in between, so a look now would find only what the caller wrote.
    /// Returns whether it did; the time of the last look stays, so a change that does not move
    /// the counter is still seen within `fullCheckInterval`.
    public mutating func absorbOwnAnnouncement(countBefore: Int64?) -> Bool {
        guard let countBefore, countBefore == seenCount, lastLook != nil else { return false }
        seenCount = countBefore &+ 1
        return true
    }

    /// Forgets the last look, for a look that failed part way: the next call looks again.
    public mutating func forget() {
        seenCount = nil
        lastLook = nil
    }
}
