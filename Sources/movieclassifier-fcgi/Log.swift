import CFastCGI
import CWorkerSignals
import Glibc
import LiveModel
import WebApp

/// Lines on standard error, which nginx (through spawn-fcgi or the run script) keeps in its log.
enum Log {
    static func info(_ message: String) { emit("movieclassifier-fcgi[\(getpid())]: \(message)\n") }
    static func error(_ message: String) { emit("movieclassifier-fcgi[\(getpid())]: error: \(message)\n") }

    /// One `write(2)`: lines from several processes do not interleave.
    static func emit(_ line: String) {
        var line = line
        line.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}
