import Foundation
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

    /// Eight bytes pass at once when they hold no `%`, `&` or `=`: 3,000 bodies of up to 60
    /// bytes, made of pieces that put each kind of byte at every position of a block, decode as
    /// a byte-by-byte reference does.
    func testLongBodiesDecodeAsAByteByByteReferenceWhereverTheEscapesFall() throws {
        func reference(_ body: String) -> [String: String] {
            var fields: [String: String] = [:]
            for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decoded(_ text: Substring) -> String { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding! }
                let name = decoded(parts[0])
                if fields[name] == nil { fields[name] = parts.count > 1 ? decoded(parts[1]) : "" }
            }
            return fields
        }
        let pieces = ["a", "Bc", "+", "%2B", "%41", "%C3%A9", "=", "&", "x+y", "*", "9"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<3_000 {
            var body = ""
            let target = Int(state % 61)
            while body.utf8.count < target {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                body += pieces[Int(state >> 33) % pieces.count]
            }
            XCTAssertEqual(try FormDecoding.fields(of: Array(body.utf8)), reference(body), body)
        }
    }
}
