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
        XCTAssertEqual(tokenizer.tokens(of: "x'"), ["x"])
        XCTAssertEqual(tokenizer.tokens(of: ""), [])
    }
}
