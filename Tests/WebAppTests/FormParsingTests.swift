import XCTest

@testable import WebApp

final class FormDecodingTests: XCTestCase {
    func testPlusIsASpaceEscapesAreBytesAndTheFirstOfRepeatedNamesCounts() throws {
        XCTAssertEqual(
            try FormDecoding.fields(of: Array("a=1+2%2B3&b=%E2%9C%93&a=ignored&flag&&c=x=y&%72eview=%41".utf8)),
            ["a": "1 2+3", "b": "✓", "flag": "", "c": "x=y", "review": "A"]
        )
        XCTAssertEqual(try FormDecoding.fields(of: []), [:])
    }

    func testInvalidEscapesAndUTF8AreErrors() {
        let cases: [(String, FormDecoding.Failure)] = [
            ("a=%", .invalidEscape), ("a=%4", .invalidEscape), ("a=%zz", .invalidEscape), ("a=%4g", .invalidEscape),
            ("%=a", .invalidEscape), ("a=%FF", .invalidUTF8), ("a=%C3%28", .invalidUTF8), ("a=%ED%A0%80", .invalidUTF8),
            ("a=1&a=%zz", .invalidEscape),
        ]
        for (body, failure) in cases {
            XCTAssertThrowsError(try FormDecoding.fields(of: Array(body.utf8)), body) { error in
                XCTAssertEqual(error as? FormDecoding.Failure, failure, body)
            }
        }
    }
}

final class HTMLEscapingTests: XCTestCase {
    func testEscapesTheFiveCharactersByteByByteAndKeepsEverythingElse() {
        let escaping = HTMLEscaping()
        XCTAssertEqual(
            escaping.escapeText("<a href=\"x\">Tom & Jerry's</a> café ✓"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; café ✓")
        XCTAssertEqual(escaping.escapeText("\"\u{301}<\u{338}"), "&quot;\u{301}&lt;\u{338}")
        XCTAssertEqual(escaping.escapeText("nothing to escape, naïve\n"), "nothing to escape, naïve\n")
        XCTAssertEqual(escaping.escapeText(""), "")
    }
}

final class ReviewTests: XCTestCase {
    func testLineBreaksBecomeNewlines() {
        XCTAssertEqual(Review.canonical("a\r\nb\rc\nd\r\r\ne\r"), "a\nb\nc\nd\n\ne\n")
        XCTAssertEqual(Review.canonical("no breaks"), "no breaks")
    }

    func testProblemsAreFoundInOrderAndCountedInCharacters() {
        let settings = WebSettings(minReviewLength: 3, maxReviewLength: 5)
        XCTAssertEqual(ReviewProblem("", settings: settings), .missing)
        XCTAssertEqual(ReviewProblem(" \n\t\u{3000}\u{A0}", settings: settings), .missing)
        XCTAssertEqual(ReviewProblem(" ab ", settings: settings), .tooShort(length: 2, minimum: 3))
        XCTAssertNil(ReviewProblem(" abc ", settings: settings))
        XCTAssertNil(ReviewProblem("é🎬\u{1F1EB}\u{1F1F7}", settings: settings), "3 Characters, 11 bytes")
        XCTAssertEqual(ReviewProblem("abcdef", settings: settings), .tooLong(length: 6, maximum: 5))
        XCTAssertEqual(ReviewProblem("ab\0cd", settings: settings), .nulCharacter)
    }
}

final class PercentTests: XCTestCase {
    func testTwoDecimalsOfAProbabilityBetweenZeroAndOne() {
        XCTAssertEqual(Percent(0.931234)?.text, "93.12")
        XCTAssertEqual(Percent(0.93125)?.text, "93.13")
        XCTAssertEqual(Percent(0.5)?.text, "50.00")
        XCTAssertEqual(Percent(0.50049)?.text, "50.05")
        XCTAssertEqual(Percent(0.0701)?.text, "7.01")
        XCTAssertEqual(Percent(0.999999)?.text, "100.00")
        XCTAssertEqual(Percent(0)?.text, "0.00")
        XCTAssertNil(Percent(.nan))
        XCTAssertNil(Percent(1.01))
        XCTAssertNil(Percent(-0.01))
    }
}
