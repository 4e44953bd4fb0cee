import XCTest

@testable import SentimentModel

/// Reference values from `sklearn.utils.murmurhash3_32(bytes, seed)`.
final class MurmurHash3Tests: XCTestCase {
    func testMatchesScikitLearnWithSeedZero() {
        let expected: [(String, Int32)] = [
            ("", 0), ("a", 1_009_084_850), ("ab", -1_681_926_305), ("abc", -1_277_324_294),
            ("abcd", 1_139_631_978), ("hello", 613_153_351), ("movie", -623_584_746), ("great", 198_527_388),
            ("really:)", 1_317_938_496), ("café", 605_818_632), ("日本語", -1_515_949_417),
            (String(repeating: "x", count: 37), -1_005_983_109),
        ]
        for (text, hash) in expected {
            XCTAssertEqual(MurmurHash3.hash32(text), hash, text)
        }
    }

    func testMatchesScikitLearnWithAnotherSeed() {
        XCTAssertEqual(MurmurHash3.hash32("", seed: 42), 142_593_372)
        XCTAssertEqual(MurmurHash3.hash32("abc", seed: 42), 1_313_807_976)
        XCTAssertEqual(MurmurHash3.hash32("hello", seed: 42), -488_910_111)
    }
}

extension MurmurHash3Tests {
    func testShortKeyVariantAgreesWithTheReferenceForEveryLengthUpTo16() {
        var generator = SystemRandomNumberGenerator()
        for count in 1...16 {
            for _ in 0..<50 {
                var buffer = (0..<20).map { _ in UInt8.random(in: 1...255, using: &generator) }
                buffer.withUnsafeMutableBytes { bytes in
                    let key = UnsafeRawBufferPointer(rebasing: bytes[..<count])
                    XCTAssertEqual(MurmurHash3.hash32(padded: bytes.baseAddress!, count: count), MurmurHash3.hash32(key), "length \(count)")
                }
            }
        }
    }
}
