import ReviewCorpus
import TestSupport
import XCTest

/// `LabeledReviewReader` over the book's `review,sentiment` CSV (RFC 4180).
final class LabeledReviewReaderTests: ScratchFolderTestCase {
    private func row(_ text: String, _ label: Int, line: Int) -> LabeledReview {
        LabeledReview(text: text, label: label, line: line)
    }

    private func malformed(_ path: String, line: Int, _ reason: String) -> CorpusError {
        .malformedRow(path: path, line: line, reason: reason)
    }

    // MARK: - Well-formed input

    func testQuotedFieldMayContainCommasQuotesAndNewlines() throws {
        let path = try file(
            "review,sentiment\n"
                + "\"He said \"\"wow\"\", then left,\nand came back\",1\n"
                + "\"\"\"\"\"\",0\n"
                + "\"plain\",0\n"
        )
        assertRows(
            path,
            [
                row("He said \"wow\", then left,\nand came back", 1, line: 2),
                row("\"\"", 0, line: 4),
                row("plain", 0, line: 5),
            ])
    }

    func testEmptyQuotedAndUnquotedReviewsAreEmptyStrings() throws {
        let path = try file("review,sentiment\n,1\n\"\",0\n")
        assertRows(path, [row("", 1, line: 2), row("", 0, line: 3)])
    }

    func testQuotedSentimentIsAccepted() throws {
        let path = try file("review,sentiment\nfine,\"1\"\n\"also fine\",\"0\"\n")
        assertRows(path, [row("fine", 1, line: 2), row("also fine", 0, line: 3)])
    }

    func testCRLFLineEndsAreNotPartOfTheFields() throws {
        let path = try file("review,sentiment\r\nGreat,1\r\n\"Bad, \"\"really\"\"\",0\r\nOk,1\r\n")
        assertRows(
            path,
            [
                row("Great", 1, line: 2),
                row("Bad, \"really\"", 0, line: 3),
                row("Ok", 1, line: 4),
            ])
    }

    func testLineBreakInsideAQuotedFieldIsKeptVerbatimIncludingItsCR() throws {
        let path = try file("review,sentiment\r\n\"two\r\nlines\",1\r\n\"lf\nonly\",0\r\nnext,1\r\n")
        assertRows(
            path,
            [
                row("two\r\nlines", 1, line: 2),
                row("lf\nonly", 0, line: 4),
                row("next", 1, line: 6),
            ])
    }

    func testMixedLFAndCRLFLineEndsAreBothAccepted() throws {
        let path = try file("review,sentiment\nA,1\r\nB,0\nC,1\r\n")
        assertRows(path, [row("A", 1, line: 2), row("B", 0, line: 3), row("C", 1, line: 4)])
    }

    func testLoneCRInsideAnUnquotedReviewIsKept() throws {
        let path = try file("review,sentiment\nA\rB,1\n")
        assertRows(path, [row("A\rB", 1, line: 2)])
    }

    func testByteOrderMarkBeforeTheHeaderIsIgnored() throws {
        let path = try file("\u{FEFF}review,sentiment\nGood,1\n")
        assertRows(path, [row("Good", 1, line: 2)])
        let crlf = try file("\u{FEFF}review,sentiment\r\nGood,1\r\n", name: "crlf.csv")
        assertRows(crlf, [row("Good", 1, line: 2)])
    }

    func testByteOrderMarkOnlyBelongsToTheFirstHeaderColumn() throws {
        // With the columns swapped the BOM sits on `sentiment`, which must still be found.
        let path = try file("\u{FEFF}sentiment,review\n0,Bad\n")
        assertRows(path, [row("Bad", 0, line: 2)])
    }

    func testByteOrderMarkBeforeAQuotedHeaderIsIgnored() throws {
        // Spreadsheet exports write a BOM and may quote every header field.
        let path = try file("\u{FEFF}\"review\",\"sentiment\"\n\"Good\",1\n")
        assertRows(path, [row("Good", 1, line: 2)])
    }

    func testQuotedHeaderIsAccepted() throws {
        let path = try file("\"review\",\"sentiment\"\nGood,1\n")
        assertRows(path, [row("Good", 1, line: 2)])
    }

    func testColumnsMayComeInTheOtherOrder() throws {
        let path = try file("sentiment,review\n1,\"Good, very\"\n0,Bad\n")
        assertRows(path, [row("Good, very", 1, line: 2), row("Bad", 0, line: 3)])
    }

    func testExtraColumnsAreIgnored() throws {
        let path = try file("id,sentiment,source,review,score\n7,0,imdb,Bad movie,2\n8,1,\"x,y\",\"Good\",9\n")
        assertRows(path, [row("Bad movie", 0, line: 2), row("Good", 1, line: 3)])
    }

    func testInvalidUTF8InAnIgnoredColumnIsNotAnError() throws {
        let path = try file(bytes: Array("review,sentiment,note\nGood,1,".utf8) + [0xFF, 0xFE] + Array("\n".utf8))
        assertRows(path, [row("Good", 1, line: 2)])
    }

    func testBlankLinesAreSkippedAndStillCounted() throws {
        let path = try file("\nreview,sentiment\n\nA,1\n\r\n\nB,0\n\n\n")
        assertRows(path, [row("A", 1, line: 4), row("B", 0, line: 7)])
    }

    func testFinalRowWithoutALineBreakIsRead() throws {
        let plain = try file("review,sentiment\nA,1\nB,0", name: "plain.csv")
        assertRows(plain, [row("A", 1, line: 2), row("B", 0, line: 3)])
        let quoted = try file("review,sentiment\nA,1\n\"B, b\",\"0\"", name: "quoted.csv")
        assertRows(quoted, [row("A", 1, line: 2), row("B, b", 0, line: 3)])
        let quotedLast = try file("sentiment,review\r\n1,A\r\n0,\"B\nb\"", name: "quoted-last.csv")
        assertRows(quotedLast, [row("A", 1, line: 2), row("B\nb", 0, line: 3)])
    }

    func testHeaderOnlyFileHasNoRows() throws {
        let path = try file("review,sentiment\n")
        assertRows(path, [])
        let noBreak = try file("review,sentiment", name: "no-break.csv")
        assertRows(noBreak, [])
    }

    func testNonASCIIReviewTextIsDecodedAsUTF8() throws {
        let path = try file("review,sentiment\n\"Amélie — 日本語 🎬\",1\n")
        assertRows(path, [row("Amélie — 日本語 🎬", 1, line: 2)])
    }

    // MARK: - Malformed rows

    func testMalformedRowReportsTheLineItStartsOn() throws {
        let path = try file("review,sentiment\n\"one\ntwo\nthree\",1\nno label here\nok,0\n")
        let (rows, error) = try readReviewsUntilError(path)
        XCTAssertEqual(rows, [row("one\ntwo\nthree", 1, line: 2)])
        XCTAssertEqual(error, malformed(path, line: 5, "1 field, expected 2 as in the header; quote a review that contains a comma"))
        XCTAssertEqual(error?.description, "\(path):5: 1 field, expected 2 as in the header; quote a review that contains a comma")
    }

    func testMalformedMultiLineRowReportsItsFirstLine() throws {
        let path = try file("review,sentiment\r\nok,1\r\n\"spans\r\nthree\r\nlines\",2\r\nafter,0\r\n")
        let (rows, error) = try readReviewsUntilError(path)
        XCTAssertEqual(rows, [row("ok", 1, line: 2)])
        XCTAssertEqual(error, malformed(path, line: 3, "the sentiment must be 0 or 1, found `2`"))
    }

    func testRowWithTooFewFieldsIsMalformed() throws {
        let path = try file("id,review,sentiment\n1,fine,1\n2,short\n")
        XCTAssertEqual(
            readReviews(path).failure, malformed(path, line: 3, "2 fields, expected 3 as in the header; quote a review that contains a comma"))
    }

    func testRowWithMoreFieldsThanTheHeaderIsMalformed() throws {
        // An unquoted comma in a review: `Rated 1,0` with label 1 must not be read as the
        // review `Rated 1` with label 0.
        let path = try file("review,sentiment\nRated 1,0,1\n")
        let result = readReviews(path)
        guard case .failure(.malformedRow(let errorPath, let line, let reason)) = result else {
            return XCTFail("a 3-field row under a 2-column header was accepted: \(result)")
        }
        XCTAssertEqual(errorPath, path)
        XCTAssertEqual(line, 2)
        XCTAssertTrue(reason.contains("3 fields"), reason)
    }

    func testSentimentMustBeExactlyZeroOrOne() throws {
        let cases: [(field: String, found: String)] = [
            ("2", "2"), ("pos", "pos"), ("", ""), ("\"\"", ""), (" 1", " 1"), ("1 ", "1 "),
            ("01", "01"), ("1.0", "1.0"), ("-1", "-1"), ("\"1\r\n\"", "1\r\n"),
        ]
        for (index, (field, found)) in cases.enumerated() {
            let path = try file("review,sentiment\ngood,1\nbad,\(field)\n", name: "case\(index).csv")
            XCTAssertEqual(
                readReviews(path).failure,
                malformed(path, line: 3, "the sentiment must be 0 or 1, found `\(found)`"),
                "sentiment field \(field.debugDescription)"
            )
        }
    }

    func testLongBadSentimentIsQuotedShortened() throws {
        let path = try file("review,sentiment\ntext,\(String(repeating: "x", count: 100))\n")
        XCTAssertEqual(
            readReviews(path).failure, malformed(path, line: 2, "the sentiment must be 0 or 1, found `\(String(repeating: "x", count: 40))`"))
    }

    func testUnterminatedQuoteAtEndOfFileIsMalformed() throws {
        let path = try file("review,sentiment\nok,1\n\n\"never closed,1\nmore,0\n")
        let (rows, error) = try readReviewsUntilError(path)
        XCTAssertEqual(rows, [row("ok", 1, line: 2)])
        XCTAssertEqual(error, malformed(path, line: 4, "the quoted field opened on line 4 is never closed"))
    }

    func testUnterminatedQuoteInALaterFieldNamesTheLineItOpensOn() throws {
        let path = try file("review,sentiment\n\"multi\nline\",\"1\nx\n")
        XCTAssertEqual(readReviews(path).failure, malformed(path, line: 2, "the quoted field opened on line 3 is never closed"))
    }

    func testTextAfterAClosingQuoteIsMalformed() throws {
        let path = try file("review,sentiment\n\"quoted\" tail,1\n")
        XCTAssertEqual(readReviews(path).failure, malformed(path, line: 2, "text after the closing quote of a field"))
        let crOnly = try file("review,sentiment\n\"quoted\"\rx,1\n", name: "cr.csv")
        XCTAssertEqual(readReviews(crOnly).failure, malformed(crOnly, line: 2, "text after the closing quote of a field"))
    }

    func testQuoteInsideAnUnquotedFieldIsMalformed() throws {
        let path = try file("review,sentiment\nfine,0\nhe said \"hi\",1\n")
        let (rows, error) = try readReviewsUntilError(path)
        XCTAssertEqual(rows, [row("fine", 0, line: 2)])
        XCTAssertEqual(
            error,
            malformed(
                path, line: 3, "a quote (\") inside a field that does not start with one; quote the whole field and double the quotes inside it"))
    }

    func testInvalidUTF8InTheReviewIsMalformed() throws {
        let bytes = Array("review,sentiment\ngood,1\nbad ".utf8) + [0xC3, 0x28] + Array(" bytes,0\nlone \u{FF}".utf8) + [0xFF] + Array(",1\n".utf8)
        let path = try file(bytes: bytes)
        let (rows, error) = try readReviewsUntilError(path)
        XCTAssertEqual(rows, [row("good", 1, line: 2)])
        XCTAssertEqual(error, malformed(path, line: 3, "the review is not valid UTF-8"))
    }

    func testMalformedRowDescriptionNamesTheFileAndTheLine() throws {
        let path = try file("review,sentiment\na,1\nb,1\n\"c\nc\",1\nd,pos\n")
        XCTAssertEqual(readReviews(path).failure?.description, "\(path):6: the sentiment must be 0 or 1, found `pos`")
    }

    // MARK: - Header

    func testMissingHeaderIsABadHeader() throws {
        let path = try file("Great movie,1\nAwful,0\n")
        XCTAssertEqual(readReviews(path).failure, .badHeader(path: path, found: "`Great movie,1`"))
        XCTAssertEqual(
            readReviews(path).failure?.description,
            "\(path):1: the first line must be a CSV header with the columns review and sentiment (the book's movie_data.csv), found `Great movie,1`"
        )
    }

    func testHeaderWithoutBothColumnsIsABadHeader() throws {
        let cases: [(header: String, found: String)] = [
            ("text,label", "`text,label`"),
            ("review", "`review`"),
            ("sentiment,text", "`sentiment,text`"),
            ("Review,Sentiment", "`Review,Sentiment`"),
            ("review ,sentiment", "`review ,sentiment`"),
            ("review;sentiment", "`review;sentiment`"),
        ]
        for (index, (header, found)) in cases.enumerated() {
            let path = try file("\(header)\ntext,1\n", name: "case\(index).csv")
            XCTAssertEqual(readReviews(path).failure, .badHeader(path: path, found: found), header)
        }
    }

    func testLongBadHeaderIsShortenedTo80Characters() throws {
        let header = (0..<30).map { "column\($0)" }.joined(separator: ",")
        let path = try file("\(header)\n")
        XCTAssertEqual(readReviews(path).failure, .badHeader(path: path, found: "`\(header.prefix(80))`"))
    }

    func testHeaderThatBreaksTheCSVRulesIsABadHeader() throws {
        let path = try file("review,sentiment\"\nx,1\n")
        XCTAssertEqual(readReviews(path).failure, .badHeader(path: path, found: "`review,sentiment\"`"))
    }

    func testEmptyFileIsABadHeader() throws {
        let empty = try file("", name: "empty.csv")
        XCTAssertEqual(readReviews(empty).failure, .badHeader(path: empty, found: "an empty file"))
        XCTAssertEqual(
            readReviews(empty).failure?.description,
            "\(empty):1: the first line must be a CSV header with the columns review and sentiment (the book's movie_data.csv), found an empty file"
        )
        let blank = try file("\n\r\n\n", name: "blank.csv")
        XCTAssertEqual(readReviews(blank).failure, .badHeader(path: blank, found: "an empty file"))
    }

    // MARK: - skipMalformed

    func testSkipMalformedPassesOverBadRowsInOrderAndCountsThem() throws {
        let bytes =
            Array(
                ("review,sentiment\n"
                    + "first,1\n"
                    + "no label\n"
                    + "\"second\nspans\",0\n"
                    + "third,2\n"
                    + "he said \"hi\",1\n"
                    + "\"x\"y,0\n"
                    + "fourth,1\n"
                    + "bad ").utf8) + [0xFF]
            + Array(
                (",0\n"
                    + "fifth,pos\n"
                    + "sixth,0\n"
                    + "\"open,1\nlost,0\n").utf8)
        let path = try file(bytes: bytes)
        var reader = try LabeledReviewReader(path: path, skipMalformed: true)
        var rows: [LabeledReview] = []
        while let row = try reader.next() { rows.append(row) }
        XCTAssertEqual(
            rows,
            [
                row("first", 1, line: 2),
                row("second\nspans", 0, line: 4),
                row("fourth", 1, line: 9),
                row("sixth", 0, line: 12),
            ])
        XCTAssertEqual(
            reader.skipped,
            [
                malformed(path, line: 3, "1 field, expected 2 as in the header; quote a review that contains a comma"),
                malformed(path, line: 6, "the sentiment must be 0 or 1, found `2`"),
                malformed(
                    path, line: 7, "a quote (\") inside a field that does not start with one; quote the whole field and double the quotes inside it"),
                malformed(path, line: 8, "text after the closing quote of a field"),
                malformed(path, line: 10, "the review is not valid UTF-8"),
                malformed(path, line: 11, "the sentiment must be 0 or 1, found `pos`"),
                malformed(path, line: 13, "the quoted field opened on line 13 is never closed"),
            ])
        XCTAssertNil(try reader.next(), "reading past the end stays at the end")
    }

    func testSkipMalformedStillRejectsABadHeader() throws {
        let path = try file("text,label\na,1\n")
        XCTAssertEqual(readReviews(path, skipMalformed: true).failure, .badHeader(path: path, found: "`text,label`"))
    }

    func testWithoutSkipMalformedNothingIsCountedAsSkipped() throws {
        let path = try file("review,sentiment\na,1\nb,x\n")
        var reader = try LabeledReviewReader(path: path)
        XCTAssertEqual(try reader.next(), row("a", 1, line: 2))
        XCTAssertThrowsError(try reader.next())
        XCTAssertEqual(reader.skipped, [])
    }
}
