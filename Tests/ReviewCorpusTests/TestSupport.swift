import Foundation
import ReviewCorpus
import XCTest

/// A fresh folder under the system's temporary directory, removed by `remove()`.
struct ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ReviewCorpusTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    }

    /// Writes `bytes` to `name` in the folder and returns its path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        try write(Array(text.utf8), to: name)
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// `gzip -c source > destination`, run with `/bin/gzip`; returns the destination's path.
    func gzip(_ source: String, to name: String) throws -> String {
        try write(gzipped(files: [source]), to: name)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

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

/// Base class: a scratch folder per test, removed afterwards.
class ScratchFolderTestCase: XCTestCase {
    private var scratch: ScratchFolder?

    var folder: ScratchFolder {
        get throws {
            if let scratch { return scratch }
            let made = try ScratchFolder()
            scratch = made
            return made
        }
    }

    override func tearDown() {
        scratch?.remove()
        scratch = nil
        super.tearDown()
    }

    /// Writes `text` to a fresh file and returns its path.
    func file(_ text: String, name: String = "data.csv") throws -> String {
        try folder.write(text, to: name)
    }

    func file(bytes: [UInt8], name: String = "data.csv") throws -> String {
        try folder.write(bytes, to: name)
    }
}

/// Every row of `path`, or the error that stopped reading.
func readReviews(_ path: String, skipMalformed: Bool = false) -> Result<[LabeledReview], CorpusError> {
    Result { () throws(CorpusError) in
        var reader = try LabeledReviewReader(path: path, skipMalformed: skipMalformed)
        var rows: [LabeledReview] = []
        while let row = try reader.next() { rows.append(row) }
        return rows
    }
}

/// Asserts that `path` reads as exactly `expected`, showing the error if reading fails.
func assertRows(_ path: String, _ expected: [LabeledReview], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(readReviews(path), .success(expected), file: file, line: line)
}

/// The rows read before reading stopped, and the error that stopped it (nil at a clean end).
func readReviewsUntilError(_ path: String) throws -> (rows: [LabeledReview], error: CorpusError?) {
    var reader = try LabeledReviewReader(path: path)
    var rows: [LabeledReview] = []
    do throws(CorpusError) {
        while let row = try reader.next() { rows.append(row) }
        return (rows, nil)
    } catch {
        return (rows, error)
    }
}

/// A `CSVRecord` as a comparable value.
struct RecordValue: Equatable, CustomStringConvertible {
    var fields: [[UInt8]]
    var line: Int
    var problem: String?

    init(_ record: CSVRecord) {
        fields = record.fields
        line = record.line
        problem = record.problem
    }

    init(_ fields: [String], line: Int, problem: String? = nil) {
        self.fields = fields.map { Array($0.utf8) }
        self.line = line
        self.problem = problem
    }

    var description: String {
        "line \(line): \(fields.map { String(decoding: $0, as: UTF8.self).debugDescription }) \(problem ?? "")"
    }
}

/// Every record of `path` read with the given chunk size.
func readRecords(_ path: String, chunkSize: Int? = nil) throws -> [RecordValue] {
    let input = try InputStream(path: path)
    var reader = chunkSize.map { CSVRecordReader(input: input, chunkSize: $0) } ?? CSVRecordReader(input: input)
    var records: [RecordValue] = []
    while let record = try reader.next() { records.append(RecordValue(record)) }
    return records
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var success: Success? {
        try? get()
    }
}
