import ModelTraining
import XCTest

@testable import SentimentModel

/// The n-gram variant's model file (format version 2): it records the variant and its
/// training, round-trips bit for bit, goes on learning as if never saved, and refuses damage.
final class NGramModelFileTests: XCTestCase {
    static let trained = NGramTrainer().train(NGramTrainerTests.samples)

    func testASavedModelLoadsBackBitForBitWithItsVariantAndTraining() throws {
        var classifier = Self.trained
        classifier.watermark = 17
        let bytes = ModelFile.encode(classifier)
        XCTAssertEqual(Array(bytes[8..<12]), [2, 0, 0, 0], "format version 2")
        let loaded = try ModelFile.decode(bytes, path: "n.mcm")
        XCTAssertEqual(loaded.vectorizer.variant, .ngram)
        XCTAssertEqual(loaded.regression, classifier.regression)
        XCTAssertEqual(loaded.training, classifier.training)
        XCTAssertEqual(loaded.watermark, 17)
        XCTAssertEqual(ModelFile.encode(loaded), bytes)
        for sample in NGramTrainerTests.samples.prefix(20) {
            XCTAssertEqual(loaded.decision(sample.text).bitPattern, classifier.decision(sample.text).bitPattern)
        }
    }

    func testFeedbackLearnedAfterASaveAndLoadGivesTheBytesOfAModelThatNeverStopped() throws {
        let feedback = [
            ("a superb, moving story", Sentiment.positive), ("not good at all, dull", .negative), ("fine but boring", .negative),
            ("never dull, superb", .positive),
        ]
        var uninterrupted = Self.trained
        for (text, sentiment) in feedback { uninterrupted.learn(text, sentiment: sentiment, maximumStep: 0.1) }
        var resumed = Self.trained
        for (text, sentiment) in feedback.prefix(2) { resumed.learn(text, sentiment: sentiment, maximumStep: 0.1) }
        resumed = try ModelFile.decode(ModelFile.encode(resumed), path: "n.mcm")
        for (text, sentiment) in feedback.dropFirst(2) { resumed.learn(text, sentiment: sentiment, maximumStep: 0.1) }
        XCTAssertEqual(ModelFile.encode(resumed), ModelFile.encode(uninterrupted))
        XCTAssertNotEqual(ModelFile.encode(uninterrupted), ModelFile.encode(Self.trained), "the feedback was learned")
    }

    func testAFlippedByteTruncationOrTrailingBytesAreRefused() {
        let bytes = ModelFile.encode(Self.trained)
        for offset in stride(from: 9, to: bytes.count, by: max(1, bytes.count / 97)) {
            var damaged = bytes
            damaged[offset] ^= 0x20
            XCTAssertThrowsError(try ModelFile.decode(damaged, path: "n.mcm"), "byte \(offset)")
        }
        XCTAssertThrowsError(try ModelFile.decode(Array(bytes.dropLast(5)), path: "n.mcm")) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        XCTAssertThrowsError(try ModelFile.decode(bytes + [0], path: "n.mcm")) { error in
            XCTAssertTrue("\(error)".contains("unexpected bytes"), "\(error)")
        }
    }

    func testAColumnListThatDisagreesWithItsLengthIsRefusedEvenWithAValidChecksum() {
        let bytes = ModelFile.encode(Self.trained)
        let gapBytes = Int(UInt32(bytes[100]) | UInt32(bytes[101]) << 8 | UInt32(bytes[102]) << 16 | UInt32(bytes[103]) << 24)
        // The list's last byte gains a continuation bit: the last column runs past the list.
        var patched = bytes
        patched[160 + gapBytes - 1] |= 0x80
        patched = withChecksum(patched)
        XCTAssertThrowsError(try ModelFile.decode(patched, path: "n.mcm")) { error in
            XCTAssertTrue("\(error)".contains("the column list ends early"), "\(error)")
        }
    }

    private func withChecksum(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let checksum = bytes.withUnsafeBytes { ModelFile.checksum(UnsafeRawBufferPointer(rebasing: $0.dropLast(4))) }
        withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange((bytes.count - 4)..., with: $0) }
        return bytes
    }
}
