import ModelTraining
import XCTest

@testable import SentimentModel

/// The n-gram variant's model file (format version 3; version 2 still read): it records the
/// variant and its training, round-trips bit for bit, goes on learning as if never saved, and
/// refuses damage.
final class NGramModelFileTests: XCTestCase {
    static let trained = NGramTrainer().train(NGramTrainerTests.samples)

    /// The same samples trained as models were before token keys: their terms' bytes hashed.
    static let trainedOnTermBytes = {
        var trainer = NGramTrainer()
        trainer.vectorizer = NGramVectorizer(hashing: .termBytes)
        return trainer.train(NGramTrainerTests.samples)
    }()

    func testTheFileRecordsHowTermsWereHashedAndAModelIsServedAsItWasTrained() throws {
        for (classifier, hashing, tokenizerByte) in [(Self.trained, TermHashing.tokenKeys, 3), (Self.trainedOnTermBytes, .termBytes, 2)] {
            let bytes = ModelFile.encode(classifier)
            XCTAssertEqual(bytes[16], UInt8(tokenizerByte), "\(hashing)")
            let loaded = try ModelFile.decode(bytes, path: "n.mcm")
            guard case .ngram(let vectorizer) = loaded.vectorizer else { return XCTFail("an n-gram model") }
            XCTAssertEqual(vectorizer.hashing, hashing)
            for sample in NGramTrainerTests.samples.prefix(20) {
                XCTAssertEqual(loaded.decision(sample.text).bitPattern, classifier.decision(sample.text).bitPattern, "\(hashing)")
            }
        }
        XCTAssertNotEqual(
            Self.trained.regression, Self.trainedOnTermBytes.regression,
            "the two hashings give other columns: a model read with the wrong one would be wrong")
    }

    func testATokenizerVariantThisBuildDoesNotKnowIsRefusedNamingTheOnesItDoes() {
        var bytes = ModelFile.encode(Self.trained)
        bytes[16] = 4
        XCTAssertThrowsError(try ModelFile.decode(withChecksum(bytes), path: "n.mcm")) { error in
            XCTAssertTrue("\(error)".contains("are not this build's ([2 or 3, 3, 1, 1]"), "\(error)")
        }
    }

    func testASavedModelLoadsBackBitForBitWithItsVariantAndTraining() throws {
        var classifier = Self.trained
        classifier.watermark = 17
        let bytes = ModelFile.encode(classifier)
        XCTAssertEqual(Array(bytes[8..<12]), [3, 0, 0, 0], "format version 3")
        XCTAssertEqual(bytes.count, 160 + (1 << 23) / 8 + 8 * classifier.regression.storedColumnCount + 4)
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

    /// `Fixtures/ngram-v2.mcm`: `trained` with watermark 17, saved in format version 2 (its
    /// columns as LEB128 gaps) before version 3 replaced it.
    static func version2File() throws -> [UInt8] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/ngram-v2.mcm", withExtension: nil))
        return Array(try Data(contentsOf: url))
    }

    func testAVersion2FileLoadsAsTheSameModelAndIsSavedAsVersion3() throws {
        let bytes = try Self.version2File()
        XCTAssertEqual(Array(bytes[8..<12]), [2, 0, 0, 0])
        let loaded = try ModelFile.decode(bytes, path: "v2.mcm")
        var expected = Self.trainedOnTermBytes
        expected.watermark = 17
        XCTAssertEqual(loaded.regression, expected.regression)
        XCTAssertEqual(loaded.training, expected.training)
        XCTAssertEqual(loaded.watermark, 17)
        XCTAssertEqual(ModelFile.encode(loaded), ModelFile.encode(expected))
        for sample in NGramTrainerTests.samples.prefix(20) {
            XCTAssertEqual(loaded.decision(sample.text).bitPattern, expected.decision(sample.text).bitPattern)
        }
    }

    func testAVersion2ColumnListThatDisagreesWithItsLengthIsRefusedEvenWithAValidChecksum() throws {
        let bytes = try Self.version2File()
        let gapBytes = Int(UInt32(bytes[100]) | UInt32(bytes[101]) << 8 | UInt32(bytes[102]) << 16 | UInt32(bytes[103]) << 24)
        // The list's last byte gains a continuation bit: the last column runs past the list.
        var patched = bytes
        patched[160 + gapBytes - 1] |= 0x80
        patched = withChecksum(patched)
        XCTAssertThrowsError(try ModelFile.decode(patched, path: "n.mcm")) { error in
            XCTAssertTrue("\(error)".contains("the column list ends early"), "\(error)")
        }
    }

    func testABitmapThatDisagreesWithTheColumnCountOrAnImpossibleEntryIsRefusedEvenWithAValidChecksum() {
        let bytes = ModelFile.encode(Self.trained)
        let count = Self.trained.regression.storedColumnCount
        let entries = 160 + (1 << 23) / 8
        // A column more in the bitmap than the header counts.
        var patched = bytes
        let unset = (160..<entries).first { patched[$0] != 0xFF }!
        patched[unset] |= ~patched[unset] & (patched[unset] &+ 1)
        XCTAssertThrowsError(try ModelFile.decode(withChecksum(patched), path: "n.mcm")) { error in
            XCTAssertTrue("\(error)".contains("its column bitmap holds \(count + 1) columns, its header says \(count)"), "\(error)")
        }
        // The third column's weight becomes infinite; the first column's scale 0.
        let thirdColumn = (0..<(1 << 23)).filter { bytes[160 + $0 / 8] & (1 << ($0 % 8)) != 0 }[2]
        patched = bytes
        patched.replaceSubrange((entries + 8 * 2 + 4)..<(entries + 8 * 2 + 8), with: [0x00, 0x00, 0x80, 0x7F])
        XCTAssertThrowsError(try ModelFile.decode(withChecksum(patched), path: "n.mcm")) { error in
            XCTAssertTrue("\(error)".contains("the weight of column \(thirdColumn) is inf"), "\(error)")
        }
        patched = bytes
        patched.replaceSubrange(entries..<(entries + 4), with: [0, 0, 0, 0])
        XCTAssertThrowsError(try ModelFile.decode(withChecksum(patched), path: "n.mcm")) { error in
            XCTAssertTrue("\(error)".contains("the feature scale of column"), "\(error)")
        }
    }

    private func withChecksum(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let checksum = bytes.withUnsafeBytes { ModelFile.checksum(of: UnsafeRawBufferPointer(rebasing: $0.dropLast(4))) }
        withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange((bytes.count - 4)..., with: $0) }
        return bytes
    }
}
