import Foundation

/// Runs `body` on `count` threads released at the same instant, as a pool's workers start,
/// and returns when all have finished.
public func runTogether(_ count: Int, _ body: @escaping @Sendable () -> Void) {
    let gate = DispatchSemaphore(value: 0)
    let finished = DispatchGroup()
    for _ in 0..<count {
        finished.enter()
        Thread {
            gate.wait()
            body()
            finished.leave()
        }.start()
    }
    for _ in 0..<count { gate.signal() }
    finished.wait()
}
