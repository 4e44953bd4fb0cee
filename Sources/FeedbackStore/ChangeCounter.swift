import Glibc
import Synchronization

/// A counter in a small file beside the database (`<database>-changes`, mapped shared), which
/// every writer of this project moves after it commits a feedback row or a decision, or replaces
/// the model file under the write lock: a worker compares it with the value it last saw before
/// each answer, a load from memory, where asking SQLite for its data version took file locks
/// and a `stat` of the model file a system call each (together about 5 µs a request here).
///
/// A writer that does not know the counter (the book's scripts, a model file copied by hand, a
/// process killed between its commit and the move) is seen by the workers' periodic full check
/// instead (`ChangeCheck`). A folder where the file cannot be made leaves the store without a
/// counter, and its workers make the full check before every answer, as they did before it.
final class ChangeCounter {
    private let counter: UnsafeMutablePointer<Atomic<Int64>>

    /// The counter of the database at `databasePath`, its file made if missing; nil when the
    /// file cannot be opened read-write or mapped.
    init?(databasePath: String) {
        let path = databasePath + "-changes"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        let size = MemoryLayout<Int64>.size
        // Only ever grown, so that a file another process is using is never cut under it.
        guard fstat(descriptor, &status) == 0, status.st_size >= size || ftruncate(descriptor, off_t(size)) == 0,
            let memory = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), memory != MAP_FAILED
        else { return nil }
        // A new file's bytes are zero: the counter starts at 0, and an existing one is kept.
        counter = memory.bindMemory(to: Atomic<Int64>.self, capacity: 1)
    }

    deinit {
        munmap(counter, MemoryLayout<Int64>.size)
    }

    /// The counter now.
    var value: Int64 {
        counter.pointee.load(ordering: .acquiring)
    }

    /// Moves the counter, after a commit: whoever reads the new value then sees the commit.
    /// Returns the value it had just before.
    @discardableResult
    func bump() -> Int64 {
        counter.pointee.wrappingAdd(1, ordering: .releasing).oldValue
    }
}
