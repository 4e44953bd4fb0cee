import Support
import XCTest

@testable import SentimentModel

/// `TermHashing.tokenKeys`, frozen and sound: the bundled model's weights belong to the columns
/// these keys give, and hashed columns are only as good as the spread of their keys.
final class TokenKeyTests: XCTestCase {
    typealias Reference = NGramTermsTests.ReferenceTerms

    func testKeysAreFrozenSoTrainedModelsKeepTheirColumns() {
        XCTAssertEqual(Reference.tokenKey(of: "good"), 0x71b4_6c0f_3906_d073)
        XCTAssertEqual(Reference.tokenKey(of: "masterpiece"), 0xfe62_83b5_6351_2d32)
        XCTAssertEqual(Reference.slot(ofTerm: "not_good", hashing: .tokenKeys).column, 1_590_010)
        XCTAssertEqual(Reference.slot(ofTerm: "not a good", hashing: .tokenKeys).column, 5_280_876, "a trigram, in the second block")
    }

    func testAKeyReadsOnlyItsOwnBytes() {
        for word in ["a", "film", "abcdefg", "abcdefgh", "abcdefghi", "incomprehensibilities"] {
            let count = word.utf8.count
            var keys: Set<UInt64> = []
            for filler: UInt8 in [0, 0x20, 0x61, 0xFF] {
                let bytes = Array(word.utf8) + [UInt8](repeating: filler, count: 8)
                keys.insert(bytes.withUnsafeBytes { TokenKey.key(of: $0.baseAddress!, count: count) })
            }
            XCTAssertEqual(keys.count, 1, word)
        }
    }

    func testAMarkedTokenATermAndItsReverseEachHaveAKeyOfTheirOwn() {
        let good = Reference.tokenKey(of: "good")
        let film = Reference.tokenKey(of: "film")
        XCTAssertNotEqual(TokenKey.marked(good), good)
        XCTAssertNotEqual(TokenKey.combine(good, film), TokenKey.combine(film, good))
        XCTAssertNotEqual(Reference.tokenKey(of: "ab"), Reference.tokenKey(of: "ba"))
        XCTAssertNotEqual(Reference.tokenKey(of: "abcdefgh"), Reference.tokenKey(of: "abcdefghabcdefgh"))
    }

    /// 300,000 distinct terms (random words, and bigrams and trigrams of a small vocabulary, as
    /// reviews have them) fill as many columns as ideal random ones would, within 1%: no
    /// structure of the keys crowds terms into fewer columns.
    func testColumnsSpreadTermsAsRandomColumnsWould() {
        var generator = SplitMix64(seed: 11)
        func word() -> String {
            String(
                (0..<Int.random(in: 1...12, using: &generator)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x61...0x7A, using: &generator)))
                })
        }
        let vocabulary = (0..<2000).map { _ in word() }
        var terms: Set<String> = []
        while terms.count < 100_000 { terms.insert(word()) }
        while terms.count < 200_000 {
            terms.insert(vocabulary.randomElement(using: &generator)! + " " + vocabulary.randomElement(using: &generator)!)
        }
        while terms.count < 300_000 {
            terms.insert((0..<3).map { _ in vocabulary.randomElement(using: &generator)! }.joined(separator: " "))
        }
        let columns = Set(terms.map { Reference.slot(ofTerm: $0, hashing: .tokenKeys).column })
        // Uni- and bigrams share a block of 2^22 columns, trigrams have one of their own.
        let block = Double(1 << 22)
        let expected = block * (1 - exp(-200_000 / block)) + block * (1 - exp(-100_000 / block))
        XCTAssertEqual(Double(columns.count), expected, accuracy: expected * 0.01)
    }
}
