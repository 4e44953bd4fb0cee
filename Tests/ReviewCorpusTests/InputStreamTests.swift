import Foundation
import ReviewCorpus
import Support
import TestSupport
import XCTest

/// `InputStream`: plain and gzip files alike, and clear errors for what cannot be read.
final class InputStreamTests: ScratchFolderTestCase {
    /// 300 rows of varied (poorly compressible) text, some quoted with commas, quotes and
    /// line breaks: about 20 KB plain, several KB compressed.
    private static let corpus = makeCorpus()
    /// The corpus compressed by `/bin/gzip`, once for all the tests.
    private static let compressedCorpus = Result { () throws -> [UInt8] in try gzipped(Array(corpus.text.utf8)) }

    private static func makeCorpus() -> (text: String, rows: [LabeledReview]) {
        var generator = SplitMix64(seed: 42)
        let words = ["plot", "actor", "scene", "boring", "great", "camera", "music", "script", "ending", "twist", "cast", "dialogue"]
        var text = "review,sentiment\n"
        var rows: [LabeledReview] = []
        var line = 2
        for index in 0..<300 {
            var review = (0..<8).map { _ in words[Int(generator.next() % UInt64(words.count))] + String(generator.next() % 1000) }.joined(
                separator: " ")
            let label = Int(generator.next() % 2)
            if index % 5 == 0 {
                review += ", \"quoted\"\nnext line"
                text += "\"\(review.replacingOccurrences(of: "\"", with: "\"\""))\",\(label)\n"
                rows.append(LabeledReview(text: review, label: label, line: line))
                line += 2
            } else {
                text += "\(review),\(label)\n"
                rows.append(LabeledReview(text: review, label: label, line: line))
                line += 1
            }
        }
        return (text, rows)
    }

    private func readAllBytes(_ path: String) throws -> [UInt8] {
        let input = try InputStream(path: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1000)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(CorpusError) in try input.read(into: buffer) }
            }.get()
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    func testGzipFileReadsTheSameRowsAsThePlainFile() throws {
        let (text, rows) = Self.corpus
        let plain = try file(text, name: "movie_data.csv")
        let compressed = try Self.compressedCorpus.get()
        let gz = try file(bytes: compressed, name: "movie_data.csv.gz")
        XCTAssertEqual(Array(compressed.prefix(2)), [0x1F, 0x8B], "the test file really is gzip")
        XCTAssertLessThan(compressed.count, text.utf8.count)
        assertRows(plain, rows)
        assertRows(gz, rows)
    }

    func testGzipFileDecompressesToTheExactBytes() throws {
        let text = Self.corpus.text
        let plain = try file(text, name: "movie_data.csv")
        let gz = try file(bytes: try Self.compressedCorpus.get(), name: "movie_data.csv.gz")
        XCTAssertEqual(try readAllBytes(plain), Array(text.utf8))
        XCTAssertEqual(try readAllBytes(gz), Array(text.utf8))
    }

    func testGzipNameIsNotNeededToDecompress() throws {
        let gz = try file(bytes: try Self.compressedCorpus.get(), name: "no-extension")
        assertRows(gz, Self.corpus.rows)
    }

    func testConcatenatedGzipMembersReadAsOneStream() throws {
        let first = try file("review,sentiment\nfirst,1\n", name: "a.csv")
        let second = try file("second,0\n\"third\nrow\",1", name: "b.csv")
        let joined = try gzipped(files: [first, second])  // two gzip members, one after the other
        XCTAssertEqual(joined.count, try gzipped(files: [first]).count + gzipped(files: [second]).count)
        let path = try file(bytes: joined, name: "joined.csv.gz")
        assertRows(
            path,
            [
                LabeledReview(text: "first", label: 1, line: 2),
                LabeledReview(text: "second", label: 0, line: 3),
                LabeledReview(text: "third\nrow", label: 1, line: 4),
            ])
    }

    func testSizeOnDiskIsTheFileSizeAndBytesConsumedReachesItAtTheEnd() throws {
        let text = Self.corpus.text
        let plain = try file(text, name: "movie_data.csv")
        let gzSize = try Self.compressedCorpus.get().count
        let gz = try file(bytes: try Self.compressedCorpus.get(), name: "movie_data.csv.gz")
        for (path, size) in [(plain, text.utf8.count), (gz, gzSize)] {
            let input = try InputStream(path: path)
            XCTAssertEqual(input.name, path)
            XCTAssertEqual(input.sizeOnDisk, size, path)
            var reader = LabeledReviewReader(input: input)
            var count = 0
            while try reader.next() != nil { count += 1 }
            XCTAssertEqual(count, 300)
            XCTAssertEqual(input.bytesConsumed, size, path)
        }
    }

    func testNonexistentPathCannotBeOpenedAndTheMessageNamesIt() throws {
        let path = try folder.path("missing/movie_data.csv")
        XCTAssertThrowsError(try InputStream(path: path)) { error in
            XCTAssertEqual(error as? CorpusError, .cannotOpen(path: path, reason: "No such file or directory"))
            XCTAssertEqual("\(error)", "\(path): cannot open: No such file or directory")
        }
        XCTAssertEqual(readReviews(path).failure, .cannotOpen(path: path, reason: "No such file or directory"))
    }

    func testFolderIsRefused() throws {
        let path = try folder.url.path
        XCTAssertThrowsError(try InputStream(path: path)) { error in
            XCTAssertEqual(error as? CorpusError, .cannotOpen(path: path, reason: "it is a folder"))
            XCTAssertEqual("\(error)", "\(path): cannot open: it is a folder")
        }
    }

    func testTruncatedGzipIsUnreadableNotPartialData() throws {
        let rows = Self.corpus.rows
        let compressed = try Self.compressedCorpus.get()
        let half = try file(bytes: Array(compressed.prefix(compressed.count / 2)), name: "half.csv.gz")
        let (read, error) = try readReviewsUntilError(half)
        XCTAssertLessThan(read.count, rows.count)
        XCTAssertEqual(read, Array(rows.prefix(read.count)), "what was read before the error is right")
        guard case .unreadable(let path, let reason)? = error else {
            return XCTFail("a truncated .gz gave \(read.count) of \(rows.count) rows and then \(error.map { "\($0)" } ?? "a clean end of file")")
        }
        XCTAssertEqual(path, half)
        XCTAssertTrue(reason.contains("unexpected end of file"), reason)
    }

    func testTruncatedGzipIsAnErrorEvenWhenSkippingMalformedRows() throws {
        // Skipping malformed rows must not turn a cut-off file into a clean, shorter corpus.
        let compressed = try Self.compressedCorpus.get()
        let half = try file(bytes: Array(compressed.prefix(compressed.count / 2)), name: "half.csv.gz")
        let result = readReviews(half, skipMalformed: true)
        guard case .failure(.unreadable(let path, _)) = result else {
            return XCTFail(
                "a truncated .gz read with skipMalformed gave \(result.success.map { "\($0.count) of \(Self.corpus.rows.count) rows and a clean end of file" } ?? "\(result)")"
            )
        }
        XCTAssertEqual(path, half)
    }

    func testGzipMissingOnlyItsTrailerIsUnreadable() throws {
        // All the data decompresses, but the CRC and length that prove it complete are gone.
        let compressed = try Self.compressedCorpus.get()
        let cut = try file(bytes: Array(compressed.dropLast(8)), name: "cut.csv.gz")
        let (_, error) = try readReviewsUntilError(cut)
        guard case .unreadable(let path, _)? = error else {
            return XCTFail("a .gz without its trailer gave \(error.map { "\($0)" } ?? "a clean end of file")")
        }
        XCTAssertEqual(path, cut)
    }

    func testGzipWithAWrongChecksumIsUnreadable() throws {
        let rows = Self.corpus.rows
        var compressed = try Self.compressedCorpus.get()
        compressed[compressed.count - 8] ^= 0xFF  // the CRC-32's first byte
        let damaged = try file(bytes: compressed, name: "damaged.csv.gz")
        let (read, error) = try readReviewsUntilError(damaged)
        XCTAssertEqual(read, Array(rows.prefix(read.count)))
        guard case .unreadable(let path, let reason)? = error else {
            return XCTFail("a .gz with a wrong CRC gave \(error.map { "\($0)" } ?? "a clean end of file")")
        }
        XCTAssertEqual(path, damaged)
        XCTAssertTrue(reason.hasSuffix("incorrect data check"), reason)
        XCTAssertTrue("\(error!)".hasPrefix("\(damaged): cannot read: "), "\(error!)")
        XCTAssertTrue("\(error!)".hasSuffix("incorrect data check (a damaged or incomplete .gz file?)"), "\(error!)")
    }
}
