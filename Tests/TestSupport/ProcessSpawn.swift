import Foundation
import Glibc

/// Starting programs with `posix_spawn`, where Foundation's `Process` can miss the exit of a
/// child that exits at once (as a daemonizing nginx does) or hang waiting for one.
public enum ProcessSpawn {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `path` with `arguments`; standard input from `stdin`, output to `stdout` (created
    /// or truncated), errors appended to `stderr` (nil: this process's), and `environment`
    /// (`NAME=value`) added to this process's own, or alone without `inheritingEnvironment`.
    /// Returns the child's PID, which the caller waits for.
    public static func start(
        _ path: String, _ arguments: [String], stdin: String = "/dev/null", stdout: String = "/dev/null", stderr: String?,
        environment: [String] = [], inheritingEnvironment: Bool = true
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stderr { posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644) }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var inherited: [String] = []
        var entry = environ
        while inheritingEnvironment, let pair = entry.pointee {
            inherited.append(String(cString: pair))
            entry += 1
        }
        let envp = (inherited + environment).map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else { throw Failure(description: "cannot start \(path): \(String(cString: strerror(result)))") }
        return pid
    }

    /// The exit status of a `waitpid` status, or 128 + the signal that ended the process, as a
    /// shell reports it.
    public static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + status & 0x7F
    }
}
