import Foundation
import XCTest

@testable import WebApp

/// The API's own JSON reader and writer: strict RFC 8259 in, and out the same bytes as
/// Foundation's `JSONEncoder` with sorted keys, which the answers were before.
final class JSONTests: XCTestCase {
    func read(_ text: String) throws -> JSONValue {
        try JSONReader.value(of: Array(text.utf8))
    }

    func refusal(_ bytes: [UInt8]) -> String? {
        do {
            _ = try JSONReader.value(of: bytes)
            return nil
        } catch {
            return error.message
        }
    }

    func testValuesOfEveryKindAreRead() throws {
        XCTAssertEqual(
            try read(#" { "a" : [1, -2.5e3, 0.125, true, false, null, "x"], "b": {} , "c": [] } "#),
            .object([
                ("a", .array([.number(1), .number(-2500), .number(0.125), .bool(true), .bool(false), .null, .string("x")])),
                ("b", .object([])), ("c", .array([])),
            ]))
        XCTAssertEqual(try read(#"{"a": 1, "a": 2}"#)["a"], .number(2), "a name given twice keeps its last value")
    }

    func testEscapesIncludingSurrogatePairsBecomeTheirCharacters() throws {
        XCTAssertEqual(try read(#""q\"b\\s\/\b\f\n\r\t\u00e9\ud83c\udfac""#), .string("q\"b\\s/\u{8}\u{c}\n\r\té🎬"))
        XCTAssertEqual(try read("\"héllo 🎬\""), .string("héllo 🎬"), "UTF-8 as it is")
    }

    func testAStringsQuoteEscapeOrControlCharacterIsSeenWhereverItFallsInABlock() throws {
        for length in 0...20 {
            for position in 0..<max(length, 1) {
                var plain = Array(repeating: UInt8(ascii: "a"), count: length)
                var expected = plain
                if length > 0 {
                    plain[position] = UInt8(ascii: "\\")
                    plain.insert(UInt8(ascii: "n"), at: position + 1)
                    expected[position] = 0x0A
                }
                XCTAssertEqual(
                    try JSONReader.value(of: [0x22] + plain + [0x22, 0x20]), .string(String(decoding: expected, as: UTF8.self)),
                    "an escape at \(position) of \(length)")
                if length > 0 {
                    var control = Array(repeating: UInt8(ascii: "a"), count: length)
                    control[position] = 0x1F
                    XCTAssertEqual(refusal([0x22] + control + [0x22]), "a control character inside a string at byte \(position + 1)")
                    var early = Array(repeating: UInt8(ascii: "a"), count: length)
                    early[position] = 0x22
                    XCTAssertEqual(refusal([0x22] + early + [0x22]), "text after the value at byte \(position + 2)", "a quote ends the string")
                }
            }
        }
        XCTAssertEqual(try read("\"" + String(repeating: "\u{7F}é ", count: 9) + "\""), .string(String(repeating: "\u{7F}é ", count: 9)))
    }

    func testMalformedTextIsRefusedWithWhereItWentWrong() {
        for (text, expected) in [
            ("[1,]", "an unexpected character at byte 3"),
            ("{\"a\" 1}", "no : after a member's name at byte 5"),
            ("01", "text after the value at byte 1"),
            ("1.", "a number without digits after its point at byte 2"),
            ("-", "a number without digits at byte 1"),
            ("\"\\ud83c\"", "a lone surrogate escape at byte 7"),
            ("\"\\udc00\"", "a lone surrogate escape at byte 7"),
            ("\"a\tb\"", "a control character inside a string at byte 2"),
            ("\"abc", "a string without its closing quote at byte 4"),
            ("nul", "an unknown literal at byte 0"),
            ("", "the end of the text where a value was expected at byte 0"),
            ("{} {}", "text after the value at byte 3"),
            ("1e400", "a number out of range at byte 5"),
        ] {
            XCTAssertEqual(refusal(Array(text.utf8)), expected, text)
        }
        XCTAssertEqual(refusal([0x22, 0xC3, 0x28, 0x22]), "a string that is not UTF-8 at byte 4")
    }

    func testDeepNestingIsRefusedRatherThanExhaustingTheStack() {
        XCTAssertEqual(refusal(Array(repeating: UInt8(ascii: "["), count: 100_000)), "nesting deeper than 64 at byte 64")
        let nested = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        XCTAssertNil(refusal(Array(nested.utf8)))
    }

    func testTheWriterWritesWhatFoundationsEncoderWritesWithSortedKeys() throws {
        struct Reference: Encodable {
            let numbers: [Double]
            let text: String
        }
        let numbers: [Double] = [1, 0.5, 1e-7, 1.2345e21, 0.970449568498863, -0.0, 2.5e-310, 100, 1e16, 123456.789, -3.25]
        let text = "a\"b\\c/\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}é\u{2028}🎬"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(Reference(numbers: numbers, text: text)), as: UTF8.self)
        var json = JSONWriter()
        json.open()
        json.name("numbers")
        try json.array(numbers) { json, number throws(JSONWriter.NotANumber) in try json.number(number) }
        json.comma()
        json.name("text")
        json.string(text)
        json.close()
        XCTAssertEqual(String(decoding: json.bytes, as: UTF8.self), expected)
    }

    func testNumbersJSONCannotCarryAreRefused() {
        var json = JSONWriter()
        XCTAssertThrowsError(try json.number(.nan))
        XCTAssertThrowsError(try json.number(.infinity))
    }
}
