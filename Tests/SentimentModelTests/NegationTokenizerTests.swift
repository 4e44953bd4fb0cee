import Foundation
import XCTest

@testable import SentimentModel

/// The n-gram variant's tokenizer against the Python reference it was chosen with.
final class NegationTokenizerTests: XCTestCase {
    struct Case: Decodable {
        let text: String
        let tokens: [String]
        let features: [String]
        let columns: [Int]
    }

    func cases() throws -> [Case] {
        try String(decoding: Fixtures.data("negation-tokenizer-cases.jsonl"), as: UTF8.self)
            .split(separator: "\n").map { try JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
    }

    func testTokensAreThoseOfThePythonReference() throws {
        let cases = try cases()
        XCTAssertEqual(cases.count, 10)
        for entry in cases {
            XCTAssertEqual(NegationTokenizer().tokens(of: entry.text), entry.tokens, entry.text)
        }
    }

    func testUnigramsAndBigramsHashToTheReferenceColumns() throws {
        for entry in try cases() {
            let tokens = NegationTokenizer().tokens(of: entry.text)
            let features = tokens + zip(tokens, tokens.dropFirst()).map { "\($0) \($1)" }
            XCTAssertEqual(features, entry.features, entry.text)
            XCTAssertEqual(features.map { Int(Int(MurmurHash3.hash32($0)).magnitude & (1 << 22 - 1)) }, entry.columns, entry.text)
        }
    }

    func testNegationScopesEndAtPunctuationAndEmoticonsButNotAtTags() {
        let tokenizer = NegationTokenizer()
        XCTAssertEqual(tokenizer.tokens(of: "not <b>good</b> at all"), ["not", "not_good", "not_at", "not_all"])
        XCTAssertEqual(tokenizer.tokens(of: "never again :) fun"), ["never", "not_again", ":)", "fun"])
        XCTAssertEqual(tokenizer.tokens(of: "no; fun"), ["no", "fun"])
        XCTAssertEqual(tokenizer.tokens(of: "no = fun"), ["no", "not_fun"], "= alone is no punctuation")
        XCTAssertEqual(tokenizer.tokens(of: "a < b and c"), ["a", "b", "and", "c"], "a < with no > after it separates")
        XCTAssertEqual(tokenizer.tokens(of: "a <b> c > d < e f"), ["a", "c", "d", "e", "f"], "a < after the last > separates")
        XCTAssertEqual(tokenizer.tokens(of: "x <y z>"), ["x"], "a tag up to the text's last byte")
        XCTAssertEqual(tokenizer.tokens(of: "x'"), ["x"])
        XCTAssertEqual(tokenizer.tokens(of: ""), [])
    }

    func testTheLastCloseIsFoundWhereverItFallsInABlock() {
        for count in 0...24 {
            for first in [-1] + Array(0..<count) {
                for second in [-1] + Array(max(first, 0)..<count) {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: count)
                    if first >= 0 { bytes[first] = UInt8(ascii: ">") }
                    if second >= 0 { bytes[second] = UInt8(ascii: ">") }
                    let found = bytes.withUnsafeBufferPointer { NegationTokenizer.lastIndexOfClose(in: $0) }
                    XCTAssertEqual(found, bytes.lastIndex(of: UInt8(ascii: ">")) ?? -1, "\(count) bytes, > at \(first) and \(second)")
                }
            }
        }
    }

    /// Words are read eight bytes at a time while the text has eight more: a word of any length,
    /// ended by any kind of byte or by the text's end, and with an apostrophe anywhere, is read
    /// whole and lowercased, and what follows it still counts.
    func testAWordOfAnyLengthIsReadWholeWhateverEndsIt() {
        let letters = Array("AZaz09Mq5".utf8)
        let endings = [" ", "é", "_", "@", "[", "`", "{", "/", "\u{7F}", "-", "'", "\u{0}", ""]
        var generator = SystemRandomNumberGenerator()
        for length in 1...20 {
            for ending in endings {
                for lead in ["", " ", "ab "] {
                    let word = String(decoding: (0..<length).map { _ in letters.randomElement(using: &generator)! }, as: UTF8.self)
                    let expected = (lead == "ab " ? ["ab"] : []) + [word.lowercased()]
                    XCTAssertEqual(NegationTokenizer().tokens(of: lead + word + ending), expected, "\(lead)\(word)\(ending)")
                    XCTAssertEqual(
                        NegationTokenizer().tokens(of: lead + word + ending + " Then"), expected + ["then"], "\(lead)\(word)\(ending) Then")
                    XCTAssertEqual(
                        NegationTokenizer().tokens(of: lead + word + "'T" + ending), Array(expected.dropLast()) + [word.lowercased() + "'t"])
                }
            }
        }
    }
}
