import Foundation
import ReviewCorpus
import TestSupport
import XCTest

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

/// Every record of `path` read with the given chunk size.
func readRecords(_ path: String, chunkSize: Int? = nil) throws -> [RecordValue] {
    let input = try InputStream(path: path)
    var reader = chunkSize.map { CSVRecordReader(input: input, chunkSize: $0) } ?? CSVRecordReader(input: input)
    var records: [RecordValue] = []
    while let record = try reader.next() { records.append(RecordValue(record)) }
    return records
}
