import XCTest

@testable import WebApp

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
