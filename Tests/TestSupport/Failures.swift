import Foundation

/// Error messages collected from concurrent workers.
public final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    public init() {}

    public func append(_ message: String) {
        lock.withLock { messages.append(message) }
    }

    public var all: [String] { lock.withLock { messages } }
}
