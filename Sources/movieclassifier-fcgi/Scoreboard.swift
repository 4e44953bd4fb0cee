import Glibc
import Synchronization

/// Nanoseconds on `CLOCK_MONOTONIC`, one clock for every process on the machine, so a worker's
/// request start and the master's "now" compare directly. Read through the vDSO: no system call.
enum Monotonic {
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    static func nanoseconds(_ seconds: Double) -> Int64 { Int64(seconds * 1e9) }

    static func seconds(_ nanoseconds: Int64) -> Double { Double(nanoseconds) / 1e9 }
}

/// Memory shared by the master and every worker: one slot per worker, in which the worker
/// notes what it is doing with plain atomic stores (no system call, no lock), and which the
/// master scans to find stuck requests and to report the pool's state.
///
/// An anonymous `MAP_SHARED` mapping made before the first fork: every worker forked later
/// shares it; a new master image (after a re-exec) makes its own.
final class Scoreboard {
    enum Failure: Error, CustomStringConvertible {
        case cannotMap(code: Int32)

        var description: String {
            switch self {
            case .cannotMap(let code): "cannot map the workers' shared scoreboard: \(String(cString: strerror(code)))"
            }
        }
    }

    let capacity: Int
    private let cells: UnsafeMutablePointer<Atomic<Int64>>

    init(capacity: Int) throws(Failure) {
        self.capacity = capacity
        let bytes = capacity * WorkerSlot.cellCount * MemoryLayout<Atomic<Int64>>.stride
        guard let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0), memory != MAP_FAILED else {
            throw .cannotMap(code: errno)
        }
        cells = memory.bindMemory(to: Atomic<Int64>.self, capacity: capacity * WorkerSlot.cellCount)
        for index in 0..<(capacity * WorkerSlot.cellCount) { (cells + index).initialize(to: Atomic(0)) }
    }

    func slot(_ index: Int) -> WorkerSlot {
        precondition(index >= 0 && index < capacity, "slot \(index) of \(capacity)")
        return WorkerSlot(cells: cells + index * WorkerSlot.cellCount)
    }
}

/// One worker's cells on the scoreboard. The worker writes; the master reads, and resets the
/// slot before it forks the slot's next worker.
struct WorkerSlot: @unchecked Sendable {
    /// A whole cache line per worker, so that workers do not slow each other down.
    static let cellCount = 8

    private enum Cell: Int {
        case ready, requestStartedAt, served, watermark
    }

    fileprivate let cells: UnsafeMutablePointer<Atomic<Int64>>

    private func store(_ cell: Cell, _ value: Int64) { (cells + cell.rawValue).pointee.store(value, ordering: .releasing) }
    private func load(_ cell: Cell) -> Int64 { (cells + cell.rawValue).pointee.load(ordering: .acquiring) }

    /// Master, before the fork.
    func reset() {
        for cell in [Cell.ready, .requestStartedAt, .served, .watermark] { store(cell, 0) }
    }

    /// Worker: the model is loaded and the worker is about to accept its first request.
    func markReady(watermark: Int64) {
        store(.watermark, watermark)
        store(.ready, 1)
    }

    /// Worker, when a request has been accepted.
    func requestStarted() { store(.requestStartedAt, Monotonic.now()) }

    /// Worker, when the connection turned out to be taken by another worker.
    func requestAbandoned() { store(.requestStartedAt, 0) }

    /// Worker, when the answer has been sent.
    func requestFinished(watermark: Int64) {
        store(.requestStartedAt, 0)
        store(.served, load(.served) + 1)
        store(.watermark, watermark)
    }

    var isReady: Bool { load(.ready) != 0 }
    /// When the request in progress started (`Monotonic`), or nil when the worker is idle.
    var requestStartedAt: Int64? {
        let started = load(.requestStartedAt)
        return started == 0 ? nil : started
    }
    var served: Int64 { load(.served) }
    /// The id of the last feedback row the worker's live model has applied.
    var watermark: Int64 { load(.watermark) }
}
