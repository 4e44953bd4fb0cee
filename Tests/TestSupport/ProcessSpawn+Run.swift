import Foundation
import Glibc

extension ProcessSpawn {
    /// Runs `path` with `arguments`, `input` on standard input and `environment` as its whole
    /// environment (plus PATH), for at most `seconds`, killing it past that; returns its wait
    /// status (0: it exited with 0) and its standard output, and its standard error too when
    /// `includingErrors`.
    public static func run(
        _ path: String, _ arguments: [String], input: String = "", environment: [String] = [], seconds: Int = 30,
        includingErrors: Bool = false
    ) throws -> (status: Int32, output: String) {
        let scratch = try ScratchFolder("movieclassifier-run")
        defer { scratch.remove() }
        let stdin = try scratch.write(input, to: "in")
        let pid = try start(
            path, arguments, stdin: stdin, stdout: scratch.path("out"), stderr: includingErrors ? scratch.path("out") : nil,
            environment: ["PATH=/usr/bin:/bin"] + environment, inheritingEnvironment: false)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard Date() < deadline else {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                throw Failure(description: "\(path) did not finish within \(seconds) s")
            }
            usleep(5_000)
        }
        return (status, (try? String(contentsOfFile: scratch.path("out"), encoding: .utf8)) ?? "")
    }
}
