import Dispatch
import Glibc
import SentimentModel

extension Classify {
    /// Lines classified between two writes when input comes as fast as it is read: enough that
    /// a write or a hand-over between threads costs little per line.
    static let batchLines = 2_048

    /// Reads standard input in large blocks, cuts it into lines (`\n`, and a `\r` before it,
    /// end the line, as `readLine` strips them), classifies each batch of lines on `jobs`
    /// threads, each taking every `jobs`-th line, and writes each batch's records in input
    /// order with one `write` call.
    func classifyStandardInput(with classifier: SentimentClassifier) throws(StandardStreamError) {
        var pending: [UInt8] = []
        var lines: [String] = []
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var ended = false
        while !ended {
            let count = block.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(errno)
            }
            ended = count == 0
            var start = 0
            block.withUnsafeBufferPointer { bytes in
                for index in 0..<count where bytes[index] == UInt8(ascii: "\n") {
                    pending.append(contentsOf: bytes[start..<index])
                    lines.append(Self.line(pending))
                    pending.removeAll(keepingCapacity: true)
                    start = index + 1
                }
                pending.append(contentsOf: bytes[start..<count])
            }
            if ended && !pending.isEmpty { lines.append(Self.line(pending)) }
            // A short read means the input is not coming faster than it is classified (a pipe
            // or a terminal): answer what has come rather than wait for a full batch.
            if lines.count >= Self.batchLines || count < block.count {
                try write(records(of: lines, classifier: classifier))
                lines.removeAll(keepingCapacity: true)
            }
        }
    }

    /// A line's text without its `\r`, invalid UTF-8 replaced as `readLine` replaces it.
    private static func line(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...], as: UTF8.self)
    }

    /// The records of `lines`, in order, made on `jobs` threads.
    private func records(of lines: [String], classifier: SentimentClassifier) -> [UInt8] {
        let threads = min(jobs, max(lines.count, 1))
        guard threads > 1 else { return Array(lines.map { record($0, classifier: classifier) }.joined().utf8) }
        // Each thread writes only the records of its own lines.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<String>.allocate(capacity: lines.count)
        results.initialize(repeating: "")
        defer {
            results.deinitialize()
            results.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in stride(from: thread, to: lines.count, by: threads) {
                results[index] = record(lines[index], classifier: classifier)
            }
        }
        return Array(results.joined().utf8)
    }

    private func write(_ bytes: [UInt8]) throws(StandardStreamError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .unwritable(errno)
            }
            offset += written
        }
    }
}
