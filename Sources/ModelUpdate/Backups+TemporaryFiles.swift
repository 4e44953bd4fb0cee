import Glibc

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
