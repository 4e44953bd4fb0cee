import Foundation

/// Runs a program with posix_spawn: Foundation's Process can hang here waiting for a child.
/// Standard input, output and error go through files, so no pipe can fill and block the child.
struct Spawned {
    let pid: pid_t
    let outputPath: String
    let errorsPath: String

    init(_ executable: String, _ arguments: [String], input: String? = nil, in folder: String) throws {
        let tag = UUID().uuidString
        outputPath = "\(folder)/.stdout-\(tag)"
        errorsPath = "\(folder)/.stderr-\(tag)"
        let inputPath = "\(folder)/.stdin-\(tag)"
        try (input ?? "").write(toFile: inputPath, atomically: false, encoding: .utf8)
        defer { unlink(inputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorsPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard result == 0 else { throw SpawnError(message: "cannot start \(executable): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// Waits for the exit; the exit status, or 128 + the signal that ended it.
    func wait() -> (status: Int32, output: String, errors: String) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + status & 0x7f
        defer {
            unlink(outputPath)
            unlink(errorsPath)
        }
        return (code, Self.contents(outputPath), Self.contents(errorsPath))
    }

    private static func contents(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

struct SpawnError: Error {
    let message: String
}
