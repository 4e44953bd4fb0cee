import Glibc
import Synchronization

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
