import Foundation

/// Work on a thread of its own, for a test whose sessions block each other (a writer waiting
/// for another's lock): the test's thread checks whether it has finished and collects its
/// result or error, waiting a bounded time.
public final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: Result<Value, any Error>?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` at once.
    public init(_ body: @escaping @Sendable () throws -> Value) {
        Thread { [self] in
            let result = Result { try body() }
            lock.withLock { outcome = result }
            finished.signal()
        }.start()
    }

    public var isFinished: Bool { lock.withLock { outcome != nil } }

    /// The work's result, or its error; throws `TestTimeout` when it takes over `seconds`.
    public func wait(seconds: Double) throws -> Value {
        guard finished.wait(timeout: .now() + seconds) == .success else {
            throw TestTimeout(description: "the background work did not finish within \(seconds) s")
        }
        finished.signal()
        return try lock.withLock { outcome! }.get()
    }
}
