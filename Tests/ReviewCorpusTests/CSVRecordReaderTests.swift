import Foundation
import ReviewCorpus
import TestSupport
import XCTest

/// `CSVRecordReader`: records as bytes, their start lines, and the chunk size not mattering.
final class CSVRecordReaderTests: ScratchFolderTestCase {
    func testRecordsCarryTheirFieldsStartLineAndNoProblem() throws {
        let path = try file("a,b\n\n\"x\ny\",\"\"\"\"\r\nlast,")
        XCTAssertEqual(
            try readRecords(path),
            [
                RecordValue(["a", "b"], line: 1),
                RecordValue(["x\ny", "\""], line: 3),
                RecordValue(["last", ""], line: 5),
            ])
    }

    func testMalformedRecordIsDelimitedLenientlySoReadingGoesOn() throws {
        let path = try file("a\"b,c\n\"q\"tail,d\ne,f\n")
        XCTAssertEqual(
            try readRecords(path),
            [
                RecordValue(
                    ["a\"b", "c"], line: 1,
                    problem: "a quote (\") inside a field that does not start with one; quote the whole field and double the quotes inside it"),
                RecordValue(["qtail", "d"], line: 2, problem: "text after the closing quote of a field"),
                RecordValue(["e", "f"], line: 3),
            ])
    }

    func testFirstProblemOfARecordIsTheOneKept() throws {
        let path = try file("\"q\"tail,a\"b\n")
        XCTAssertEqual(
            try readRecords(path),
            [
                RecordValue(["qtail", "a\"b"], line: 1, problem: "text after the closing quote of a field")
            ])
    }

    func testUnterminatedQuoteSwallowsTheRestOfTheInput() throws {
        let path = try file("ok,1\n\"open,1\nnext,0\n")
        XCTAssertEqual(
            try readRecords(path),
            [
                RecordValue(["ok", "1"], line: 1),
                RecordValue(["open,1\nnext,0\n"], line: 2, problem: "the quoted field opened on line 2 is never closed"),
            ])
    }

    func testEmptyInputHasNoRecords() throws {
        XCTAssertEqual(try readRecords(try file("")), [])
        XCTAssertEqual(try readRecords(try file("\r\n\n", name: "blank.csv")), [])
    }

    // MARK: - Chunk size

    /// Rows whose fields are far longer than a 7-byte chunk, and the records they hold. Quoted
    /// fields hold `""` escapes after 0...13 other bytes, and rows end in CRLF after 0...13
    /// bytes, so for every chunk size from 2 to 14 some `""` and some CRLF straddle a chunk
    /// boundary whatever the alignment; there are also a `""` as the last byte of a field,
    /// multi-line fields, blank lines, and a final row without a line break.
    private func awkwardCSV() -> (text: String, records: [RecordValue]) {
        var text = "review,sentiment\r\n"
        var records = [RecordValue(["review", "sentiment"], line: 1)]
        var line = 2
        for row in 0..<14 {
            var review = ""
            for run in 0..<14 { review += String(repeating: "x", count: (run + row) % 14) + "\"" }
            if row % 3 == 0 { review += "\r\nsecond line, with a comma\n third" }
            text += "\"\(review.replacingOccurrences(of: "\"", with: "\"\""))\",\(row % 2)\r\n"
            records.append(RecordValue([review, "\(row % 2)"], line: line))
            line += row % 3 == 0 ? 3 : 1
            let plain = String(repeating: "u", count: row)
            text += plain + ",\(row % 2)" + (row % 2 == 0 ? "\r\n" : "\n")
            records.append(RecordValue([plain, "\(row % 2)"], line: line))
            line += 1
            if row % 4 == 0 {
                text += "\r\n\n"
                line += 2
            }
        }
        text += "\"ends with a quote \"\"\",1\r\n"
        records.append(RecordValue(["ends with a quote \"", "1"], line: line))
        text += "\"\"\"\",0\r\n"
        records.append(RecordValue(["\"", "0"], line: line + 1))
        text += "last row without a line break,1"
        records.append(RecordValue(["last row without a line break", "1"], line: line + 2))
        return (text, records)
    }

    func testFieldsLongerThanTheChunkReadTheSameAsWithTheDefaultChunk() throws {
        let (text, records) = awkwardCSV()
        let path = try file(text)
        XCTAssertEqual(records.count, 1 + 14 * 2 + 3)
        XCTAssertEqual(try readRecords(path), records)
        XCTAssertEqual(try readRecords(path, chunkSize: 7), records)
    }

    func testEveryChunkSizeFromTwoUpReadsTheSameRecords() throws {
        let (text, records) = awkwardCSV()
        let path = try file(text)
        for chunkSize in [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 64, 4096] {
            XCTAssertEqual(try readRecords(path, chunkSize: chunkSize), records, "chunk size \(chunkSize)")
        }
    }

    func testLabeledReviewsFromAGzipOfTheAwkwardFileMatchTheRecords() throws {
        let (text, records) = awkwardCSV()
        let path = try file(text)
        let gz = try folder.gzip(path, to: "awkward.csv.gz")
        let expected = records.dropFirst().map {
            LabeledReview(text: String(decoding: $0.fields[0], as: UTF8.self), label: $0.fields[1] == Array("1".utf8) ? 1 : 0, line: $0.line)
        }
        assertRows(path, expected)
        assertRows(gz, expected)
    }

    func testSmallChunkGivesTheSameMalformedRecordsAndLines() throws {
        let path = try file(
            "review,sentiment\r\n\"multi\r\nline\r\nfield\"\"\",1\r\nbad \"quote\",0\r\n\"q\"after,1\r\n\r\n\"never\r\nclosed,0\r\n"
        )
        let expected: [RecordValue] = [
            RecordValue(["review", "sentiment"], line: 1),
            RecordValue(["multi\r\nline\r\nfield\"", "1"], line: 2),
            RecordValue(
                ["bad \"quote\"", "0"], line: 5,
                problem: "a quote (\") inside a field that does not start with one; quote the whole field and double the quotes inside it"),
            RecordValue(["qafter", "1"], line: 6, problem: "text after the closing quote of a field"),
            RecordValue(["never\r\nclosed,0\r\n"], line: 8, problem: "the quoted field opened on line 8 is never closed"),
        ]
        XCTAssertEqual(try readRecords(path), expected)
        XCTAssertEqual(try readRecords(path, chunkSize: 7), expected)
        XCTAssertEqual(try readRecords(path, chunkSize: 2), expected)
    }

    func testEscapedQuoteAndCRLFSplitAcrossSevenByteChunksAreJoined() throws {
        // Traced with 7-byte chunks; `|` marks where the reader refills.
        let cases: [(text: String, expected: [RecordValue])] = [
            // `"abcde"|"fgh",1|234567\r|\nnext,0`: a `""` escape and then a CRLF end of line
            // in an unquoted field are split across chunks.
            ("\"abcde\"\"fgh\",1234567\r\nnext,0\r\n", [RecordValue(["abcde\"fgh", "1234567"], line: 1), RecordValue(["next", "0"], line: 2)]),
            // `"abcd"\r|\n...`: the CRLF right after a closing quote is split (look-ahead of 2).
            ("\"abcd\"\r\nnext,0\r\n", [RecordValue(["abcd"], line: 1), RecordValue(["next", "0"], line: 2)]),
            // `abcde\n\r|\nx\n`: a blank CRLF line split across chunks is still skipped.
            ("abcde\n\r\nx\n", [RecordValue(["abcde"], line: 1), RecordValue(["x"], line: 3)]),
        ]
        for (index, (text, expected)) in cases.enumerated() {
            let path = try file(text, name: "case\(index).csv")
            XCTAssertEqual(try readRecords(path), expected, text.debugDescription)
            XCTAssertEqual(try readRecords(path, chunkSize: 7), expected, text.debugDescription)
            for chunkSize in 2...16 {
                XCTAssertEqual(try readRecords(path, chunkSize: chunkSize), expected, "\(text.debugDescription), chunk size \(chunkSize)")
            }
        }
    }

    func testOneByteChunkStillReadsCRLFInputCompletely() throws {
        // A CRLF after a closing quote, and a blank CRLF line, need two bytes of look-ahead;
        // with a one-byte buffer the reader must still read everything (or refuse the chunk
        // size), not stop early.
        let path = try file("\"a\"\r\n\r\nc,d\r\n")
        let expected = [RecordValue(["a"], line: 1), RecordValue(["c", "d"], line: 3)]
        XCTAssertEqual(try readRecords(path, chunkSize: 2), expected)
        XCTAssertEqual(try readRecords(path, chunkSize: 1), expected)
    }
}
