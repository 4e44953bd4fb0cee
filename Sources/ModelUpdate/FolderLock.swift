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

extension Backups {
    /// Deletes the temporary files (`.NAME.PID.tmp`, as `AtomicFile.write` names them) that a
    /// killed update or rollback left beside the model or its backups: only those of a process
    /// that no longer exists, so a `train` writing the model right now keeps its own.
    func removeAbandonedTemporaryFiles() {
        guard let directory = opendir(folder) else { return }
        var abandoned: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard name.hasPrefix("." + stem), name.hasSuffix(".tmp") else { continue }
            let parts = name.dropFirst().dropLast(".tmp".count).split(separator: ".")
            guard let pid = parts.last.flatMap({ pid_t($0) }), pid > 0 else { continue }
            let target = String(name.dropFirst().dropLast(".tmp".count).dropLast(parts.last!.count + 1))
            guard target == "\(stem)\(fileExtension)" || parse(target) != nil else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { abandoned.append(name) }
        }
        closedir(directory)
        for name in abandoned { unlink("\(folder)/\(name)") }
    }
}
