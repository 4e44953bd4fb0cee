import Foundation
import Support
import XCTest

@testable import SentimentModel

/// The n-gram variant's terms, pinned: however `NGramVectorizer` computes them, a text must give
/// the same (column, count) pairs as the plain reading of docs/research/model-variant-3.md §2
/// below, with either way of hashing a term.
final class NGramTermsTests: XCTestCase {
    /// The terms the slow, obvious way: the tokens as strings in both views, every n-gram joined
    /// with spaces and hashed on its own, counted in a dictionary.
    enum ReferenceTerms {
        /// A term's column and whole hash, from its string alone: MurmurHash3 of its bytes, or
        /// its tokens' keys combined (a marked token's key is its word's, marked).
        static func slot(ofTerm term: String, hashing: TermHashing) -> (column: UInt32, hash: UInt32) {
            let block: UInt32 = term.split(separator: " ").count == 3 ? 1 << 22 : 0
            switch hashing {
            case .termBytes:
                let hash = MurmurHash3.hash32(term)
                return (block + UInt32(hash.magnitude) % (1 << 22), UInt32(bitPattern: hash))
            case .tokenKeys:
                let key = term.split(separator: " ").map { token in
                    let isMarked = token.hasPrefix("not_") && token.count > 4
                    let word = tokenKey(of: String(isMarked ? token.dropFirst(4) : token))
                    return isMarked ? TokenKey.marked(word) : word
                }.reduce(nil) { run, token in run.map { TokenKey.combine($0, token) } ?? token }!
                let spread = TokenKey.spread(key)
                return (block + TokenKey.column(ofSpread: spread), UInt32(truncatingIfNeeded: spread))
            }
        }

        /// `TokenKey.key` of a word, from a copy with the room past its end the function reads.
        static func tokenKey(of word: String) -> UInt64 {
            let bytes = Array(word.utf8) + [UInt8](repeating: 0xFF, count: 8)
            return bytes.withUnsafeBytes { TokenKey.key(of: $0.baseAddress!, count: word.utf8.count) }
        }

        static func counts(of text: String, hashing: TermHashing) -> [UInt32: Int32] {
            let marked = NegationTokenizer().tokens(of: text)
            let plain = marked.map { $0.hasPrefix("not_") ? String($0.dropFirst(4)) : $0 }
            var counts: [UInt32: Int32] = [:]
            for view in [marked, plain] {
                for order in 1...3 where view.count >= order {
                    for last in (order - 1)..<view.count {
                        let term = view[(last - order + 1)...last].joined(separator: " ")
                        counts[slot(ofTerm: term, hashing: hashing).column, default: 0] += 1
                    }
                }
            }
            return counts
        }
    }

    struct Case: Decodable {
        let text: String
    }

    /// Texts that reach every branch of the tokenizer and every alignment of the hash: the
    /// tokenizer's fixtures, edge cases, and random mixtures of words, negators, punctuation,
    /// emoticons, tags and non-ASCII, glued or spaced.
    func texts() throws -> [String] {
        let fixtures = try String(decoding: Fixtures.data("negation-tokenizer-cases.jsonl"), as: UTF8.self)
            .split(separator: "\n").map { try JSONDecoder().decode(Case.self, from: Data($0.utf8)).text }
        let edges = [
            "", " ", "a", "not", "not not", "no a b c d e f", "isn't it good", "never. ever", "a b", "abc", "abcd", "abcde",
            String(repeating: "x", count: 5000), String(repeating: "not ", count: 300), "<br /><br />", "<", ">", "<<>>", "don't :-) like",
        ]
        let pieces = [
            "good", "bad", "film", "Movie", "the", "a", "I", "it's", "isn't", "don't", "CAN'T", "won't'", "rock'n'roll", "o'", "'tis",
            "123", "x1y2", "not", "no", "never", "cannot", "nor", "nothing", "nobody", "none", "nowhere", "neither", "NOT", "Never",
            "nothings", "n't", "not_a", ".", ",", "!", "?", ";", ":", "(", ")", "'", "-", "_", "\"", ":)", ";-(", "=D", ":P", ":-",
            "=-", "=", ":-D", "<br />", "<i>", "</i>", "<", ">", "< a", "é", "naïve", "日本", "😀", "\u{0}",
        ]
        let separators = [" ", " ", " ", "", "\n", "\t", "  ", " - "]
        var generator = SplitMix64(seed: 3)
        var random: [String] = []
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...Int.random(in: 1...400, using: &generator), using: &generator) {
                if Int.random(in: 0..<40, using: &generator) == 0 {
                    let letters = (0..<Int.random(in: 1...300, using: &generator)).map { _ in
                        Character(Unicode.Scalar(UInt8.random(in: 0x61...0x7A, using: &generator)))
                    }
                    text += String(letters)
                } else {
                    text += pieces.randomElement(using: &generator)!
                }
                text += separators.randomElement(using: &generator)!
            }
            random.append(text)
        }
        return fixtures + edges + random
    }

    func testTermCountsAreTheReferences() throws {
        for hashing in TermHashing.allCases {
            for text in try texts() {
                let expected = ReferenceTerms.counts(of: text, hashing: hashing).sorted { $0.key < $1.key }
                NGramVectorizer(hashing: hashing).withTermCounts(of: text) { columns, counts in
                    XCTAssertEqual(Array(columns), expected.map(\.key), "\(hashing): \(text)")
                    XCTAssertEqual(Array(counts), expected.map(\.value), "\(hashing): \(text)")
                }
            }
        }
    }

    /// The terms one by one, as explanations read them, sum to the same counts.
    /// The terms `forEachTerm` reports, as strings: the tokens it names (the last one and the
    /// order), the plain view's without their `not_`, joined by spaces; and the tokens it
    /// reports.
    struct NamedTerms: TermVisitor {
        let tokens: [String]
        var terms: [(term: String, column: UInt32, count: Int, hash: UInt32)] = []
        var visitedTokens: [String] = []

        mutating func visit(token: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
            visitedTokens.append(String(decoding: token, as: UTF8.self))
        }

        mutating func visit(column: UInt32, count: Int, hash: UInt32, lastToken: Int, order: Int, plain: Bool) {
            XCTAssertEqual(lastToken, visitedTokens.count - 1, "a term comes after its last token")
            let words = tokens[(lastToken - order + 1)...lastToken].map { plain && $0.hasPrefix("not_") ? String($0.dropFirst(4)) : $0 }
            terms.append((words.joined(separator: " "), column, count, hash))
        }
    }

    static func terms(of text: String, hashing: TermHashing = .tokenKeys) -> [(term: String, column: UInt32, count: Int, hash: UInt32)] {
        let tokens = NegationTokenizer().tokens(of: text)
        var named = NamedTerms(tokens: tokens)
        NGramVectorizer(hashing: hashing).forEachTerm(in: text, &named)
        XCTAssertEqual(named.visitedTokens, tokens)
        return named.terms
    }

    func testEveryColumnNamesItsTermItsHashAndItsView() throws {
        for hashing in TermHashing.allCases {
            for text in try texts() {
                var counts: [UInt32: Int32] = [:]
                for (term, column, count, hash) in Self.terms(of: text, hashing: hashing) {
                    let expected = ReferenceTerms.slot(ofTerm: term, hashing: hashing)
                    XCTAssertEqual(expected.hash, hash, "\(hashing): \(term)")
                    XCTAssertEqual(expected.column, column, "\(hashing): \(term)")
                    counts[column, default: 0] += Int32(count)
                }
                XCTAssertEqual(counts, ReferenceTerms.counts(of: text, hashing: hashing), "\(hashing): \(text)")
            }
        }
    }

    /// The buffers of `withTermCounts` and `TermOccurrences` are sized from the text's length:
    /// at most `6 × (n/2 + 2)` terms (3 a byte) and a token a byte, on any text, the densest
    /// (negated words, emoticons glued to words) included.
    func testNoTextHasMoreTermsThanTheBuffersMadeForItsLength() throws {
        let dense = ["a:)", "no a:)", "no a", ":):)", "no a:-)a", "no a:)a:)", "n't a:)", "a:(no b:)"].map { String(repeating: $0, count: 200) }
        for text in try texts() + dense {
            let terms = Self.terms(of: text)
            let bytes = text.utf8.count
            XCTAssertLessThanOrEqual(terms.count, 6 * (bytes / 2 + 2), text)
            XCTAssertLessThanOrEqual(NegationTokenizer().tokens(of: text).count, bytes, text)
        }
    }

    func testANegatedTermIsCountedMarkedAndPlain() {
        var terms: [String: Int] = [:]
        for (term, _, count, _) in Self.terms(of: "not a good film") { terms[term, default: 0] += count }
        XCTAssertEqual(terms["not"], 2)
        XCTAssertEqual(terms["not_good"], 1)
        XCTAssertEqual(terms["good"], 1)
        XCTAssertEqual(terms["not not_a"], 1)
        XCTAssertEqual(terms["not a"], 1)
        XCTAssertEqual(terms["not_a not_good not_film"], 1)
        XCTAssertEqual(terms["a good film"], 1)
        XCTAssertEqual(terms.values.reduce(0, +), 2 * (4 + 3 + 2))
    }

    func testATermsValueIsLog1pOfItsCountBitForBit() {
        for count in 0..<300 {
            XCTAssertEqual(NGramVectorizer.termValue(count: count).bitPattern, log1p(Double(count)).bitPattern, "count \(count)")
        }
    }
}
