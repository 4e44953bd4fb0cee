import Foundation
import Glibc

/// A program run to its end as a person runs it: standard input, output and error through
/// files in `folder`, so that no pipe can fill and block the child.
public struct SpawnedProgram {
    public let pid: pid_t
    private let outputPath: String
    private let errorsPath: String

    public init(_ executable: String, _ arguments: [String], input: String? = nil, in folder: String, environment: [String] = []) throws {
        let tag = UUID().uuidString
        outputPath = "\(folder)/.stdout-\(tag)"
        errorsPath = "\(folder)/.stderr-\(tag)"
        let inputPath = "\(folder)/.stdin-\(tag)"
        try (input ?? "").write(toFile: inputPath, atomically: false, encoding: .utf8)
        defer { unlink(inputPath) }
        unlink(errorsPath)
        pid = try ProcessSpawn.start(executable, arguments, stdin: inputPath, stdout: outputPath, stderr: errorsPath, environment: environment)
    }

    /// Waits for the exit: the exit status (or 128 + the signal that ended it), and what the
    /// program wrote.
    public func wait() -> (status: Int32, output: String, errors: String) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        defer {
            unlink(outputPath)
            unlink(errorsPath)
        }
        return (ProcessSpawn.exitCode(status), Self.contents(outputPath), Self.contents(errorsPath))
    }

    private static func contents(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
