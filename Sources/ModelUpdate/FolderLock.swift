import Glibc

/// An exclusive `flock(2)` on the model's folder, held while an update or a rollback replaces
/// files in it, so that two of them never interleave. The kernel releases it when the
/// process ends, however it ends: a killed update leaves no stale lock behind.
final class FolderLock {
    private let descriptor: Int32

    init(folder: String) throws(ModelUpdateError) {
        descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .file(.init(path: folder, operation: "open the model's folder", code: errno)) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { throw .busy(folder: folder) }
            throw .file(.init(path: folder, operation: "lock the model's folder", code: code))
        }
    }

    deinit {
        close(descriptor)
    }
}
