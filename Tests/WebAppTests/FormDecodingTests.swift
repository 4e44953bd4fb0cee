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
