import Foundation
import TestSupport

/// `gzip -c -n files...` (one gzip member per file, concatenated), run with `/bin/gzip`.
func gzipped(files: [String]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c", "-n"] + files
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw NSError(domain: "gzip exited with \(process.terminationStatus)", code: Int(process.terminationStatus))
    }
    return Array(data)
}

/// `bytes` compressed by `/bin/gzip`.
func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let scratch = try ScratchFolder()
    defer { scratch.remove() }
    return try gzipped(files: [try scratch.write(bytes, to: "plain")])
}
