import Glibc
import Synchronization
import Telemetry

/// Memory shared by the master and every worker: the pool's counters (`TelemetryLayout`), then
/// one slot per worker, in which the worker notes what it is doing with plain atomic stores
/// (no system call, no lock). The master scans the slots to find stuck requests and to report
/// the pool's state; any worker reads all of it to answer `/status` and `/metrics` for the
/// whole pool.
///
/// An anonymous `MAP_SHARED` mapping made before the first fork: every worker forked later
/// shares it; a new master image (after a re-exec) makes its own, and its counters start again
/// from zero, as Prometheus expects of a restarted process.
final class Scoreboard: @unchecked Sendable {
    enum Failure: Error, CustomStringConvertible {
        case cannotMap(code: Int32)

        var description: String {
            switch self {
            case .cannotMap(let code): "cannot map the workers' shared scoreboard: \(String(cString: strerror(code)))"
            }
        }
    }

    let capacity: Int
    /// The counters' cells, rounded up to whole cache lines so that the first slot starts on one.
    private static let counterCells = (TelemetryLayout.count + 7) / 8 * 8
    private let cells: UnsafeMutablePointer<Atomic<Int64>>

    init(capacity: Int) throws(Failure) {
        self.capacity = capacity
        let count = Self.counterCells + capacity * WorkerSlot.cellCount
        guard let memory = mmap(nil, count * MemoryLayout<Atomic<Int64>>.stride, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0),
            memory != MAP_FAILED
        else {
            throw .cannotMap(code: errno)
        }
        cells = memory.bindMemory(to: Atomic<Int64>.self, capacity: count)
        for index in 0..<count { (cells + index).initialize(to: Atomic(0)) }
    }

    func slot(_ index: Int) -> WorkerSlot {
        precondition(index >= 0 && index < capacity, "slot \(index) of \(capacity)")
        return WorkerSlot(cells: cells + Self.counterCells + index * WorkerSlot.cellCount)
    }

    /// Adds `value` to the counter at `index` (`TelemetryLayout`): any worker, any time.
    func add(_ value: Int64, at index: Int) {
        (cells + index).pointee.wrappingAdd(value, ordering: .relaxed)
    }

    /// Sets the counter at `index`: the master, for the figures only it knows.
    func set(_ value: Int64, at index: Int) {
        (cells + index).pointee.store(value, ordering: .relaxed)
    }

    /// Counts a request to `route`, answered with `status` after `nanoseconds`.
    func recordRequest(_ route: RequestRoute, status: Int, nanoseconds: Int64) {
        add(1, at: TelemetryLayout.requests(route, codeIndex: ResponseCode.index(of: status)))
        add(1, at: TelemetryLayout.durations(route, bucket: LatencyBuckets.index(ofNanoseconds: nanoseconds)))
        add(nanoseconds, at: TelemetryLayout.durationSum(route))
    }

    /// A copy of every counter.
    var telemetry: PoolTelemetry {
        PoolTelemetry(cells: (0..<TelemetryLayout.count).map { (cells + $0).pointee.load(ordering: .relaxed) })
    }

    /// The workers listed in the slots, in slot order, at `now` (`Monotonic`).
    func processes(now: Int64) -> [ProcessStatus] {
        (0..<capacity).compactMap { slot($0).processStatus(now: now) }
    }
}
