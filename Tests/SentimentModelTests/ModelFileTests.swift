import Foundation
import Support
import XCTest

@testable import SentimentModel

final class ModelFileTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryFolder()
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    /// A small model with nonzero weights, a scale below 1 (mid-training) and a watermark.
    func trainedClassifier() -> SentimentClassifier {
        var classifier = SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 12), watermark: 41)
        classifier.partialFit([
            LabeledSample(text: "a wonderful, moving film", sentiment: .positive),
            LabeledSample(text: "dreadful acting and a tedious plot", sentiment: .negative),
        ])
        classifier.learn("superb", sentiment: .positive)
        return classifier
    }

    func assertIdentical(_ a: SentimentClassifier, _ b: SentimentClassifier, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.regression.weights.map(\.bitPattern), b.regression.weights.map(\.bitPattern), file: file, line: line)
        XCTAssertEqual(a.regression.scale.bitPattern, b.regression.scale.bitPattern, file: file, line: line)
        XCTAssertEqual(a.regression.intercept.bitPattern, b.regression.intercept.bitPattern, file: file, line: line)
        XCTAssertEqual(a.regression.samplesSeen, b.regression.samplesSeen, file: file, line: line)
        XCTAssertEqual(a.regression.alpha, b.regression.alpha, file: file, line: line)
        XCTAssertEqual(a.watermark, b.watermark, file: file, line: line)
        XCTAssertEqual(a.labelNames, b.labelNames, file: file, line: line)
        XCTAssertEqual(a.vectorizer.featureCount, b.vectorizer.featureCount, file: file, line: line)
    }

    func testSavedModelLoadsBackBitForBit() throws {
        let original = trainedClassifier()
        XCTAssertNotEqual(original.regression.scale, 1)
        let path = folder + "/model.mcm"
        try ModelFile.save(original, to: path)
        let loaded = try ModelFile.load(from: path)
        assertIdentical(original, loaded)
        XCTAssertEqual(ModelFile.encode(loaded), try AtomicFile.read(path))
    }

    func testTrainingResumesAfterSaveAndLoadExactlyAsIfUninterrupted() throws {
        var uninterrupted = trainedClassifier()
        var resumed = try ModelFile.decode(ModelFile.encode(trainedClassifier()), path: "model.mcm")
        for text in ["boring", "brilliant cast", "clumsy"] {
            uninterrupted.learn(text, sentiment: text.hasPrefix("b") ? .positive : .negative)
            resumed.learn(text, sentiment: text.hasPrefix("b") ? .positive : .negative)
        }
        assertIdentical(uninterrupted, resumed)
    }

    func testOnlyNonzeroWeightsAreStored() {
        let classifier = trainedClassifier()
        let nonzero = classifier.regression.weights.filter { $0 != 0 }.count
        let bytes = ModelFile.encode(classifier)
        XCTAssertEqual(bytes.count, ((ModelFile.headerSize + 4 * nonzero + 7) & ~7) + 8 * nonzero + 4)
    }

    func testTruncatedFileIsRefusedWithItsNameAndSize() throws {
        let bytes = ModelFile.encode(trainedClassifier())
        for length in [3, 8, 60, bytes.count / 2, bytes.count - 1] {
            XCTAssertThrowsError(try ModelFile.decode(Array(bytes.prefix(length)), path: "/srv/model.mcm")) { error in
                guard case ModelFileError.truncated(let path, _, let actual) = error else {
                    return XCTFail("\(length) bytes: \(error)")
                }
                XCTAssertEqual(path, "/srv/model.mcm")
                XCTAssertEqual(actual, length)
                XCTAssertTrue("\(error)".hasPrefix("/srv/model.mcm: truncated"), "\(error)")
            }
        }
    }

    func testFlippedByteAnywhereIsCaughtByTheChecksum() throws {
        let bytes = ModelFile.encode(trainedClassifier())
        for offset in [12, 40, ModelFile.headerSize + 1, bytes.count - 20, bytes.count - 2] {
            var damaged = bytes
            damaged[offset] ^= 0x10
            XCTAssertThrowsError(try ModelFile.decode(damaged, path: "m.mcm"), "offset \(offset)") { error in
                guard case ModelFileError.checksumMismatch = error else { return XCTFail("offset \(offset): \(error)") }
                XCTAssertTrue("\(error)".contains("m.mcm: corrupt"))
            }
        }
    }

    func testTrailingBytesAreRefused() {
        let bytes = ModelFile.encode(trainedClassifier()) + [0, 0, 0]
        XCTAssertThrowsError(try ModelFile.decode(bytes, path: "m.mcm")) { error in
            guard case ModelFileError.trailingBytes = error else { return XCTFail("\(error)") }
        }
    }

    func testForeignFilesAreRefusedWithAHint() {
        let pickle: [UInt8] = [0x80, 0x04, 0x95] + Array("sklearn.linear_model".utf8)
        let numpy: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, 0, 0]
        let cases: [([UInt8], String)] = [
            ([], "empty"),
            (Array("review,sentiment\nGreat,1\n".utf8), "signature"),
            (pickle, "pickle"),
            (numpy, "import-sklearn"),
        ]
        for (bytes, hint) in cases {
            XCTAssertThrowsError(try ModelFile.decode(bytes, path: "classifier.pkl")) { error in
                guard case ModelFileError.notAModelFile = error else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".hasPrefix("classifier.pkl: not a movieclassifier model file"), "\(error)")
                XCTAssertTrue("\(error)".contains(hint), "\(error)")
            }
        }
    }

    /// Rewrites a header field and fixes the checksum, as a future or foreign writer would.
    func patched(_ bytes: [UInt8], at offset: Int, with patch: [UInt8]) -> [UInt8] {
        var bytes = bytes
        bytes.replaceSubrange(offset..<(offset + patch.count), with: patch)
        let checksum = bytes.withUnsafeBytes { ModelFile.checksum(of: UnsafeRawBufferPointer(rebasing: $0.dropLast(4))) }
        withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange((bytes.count - 4)..., with: $0) }
        return bytes
    }

    func testNewerFormatVersionIsRefused() {
        let bytes = patched(ModelFile.encode(trainedClassifier()), at: 8, with: [4, 0, 0, 0])
        XCTAssertThrowsError(try ModelFile.decode(bytes, path: "m.mcm")) { error in
            guard case ModelFileError.unsupportedVersion(_, 4) = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("version 4 is not supported; this build reads versions 1 to 3"))
        }
    }

    func testModelTrainedWithAnotherTokenizerOrStopWordListIsRefused() {
        let bytes = ModelFile.encode(trainedClassifier())
        for (offset, patch) in [(16, [UInt8(2)]), (20, [UInt8](repeating: 0xAB, count: 4))] {
            XCTAssertThrowsError(try ModelFile.decode(patched(bytes, at: offset, with: patch), path: "m.mcm")) { error in
                guard case ModelFileError.incompatible = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testImpossibleValuesWithAValidChecksumAreRefused() {
        let bytes = ModelFile.encode(trainedClassifier())
        let nan = withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { Array($0) }
        let zero = [UInt8](repeating: 0, count: 8)
        let columnsOffset = ModelFile.headerSize
        let cases: [(Int, [UInt8], String)] = [
            (40, zero, "scale"),
            (48, nan, "intercept"),
            (columnsOffset, [0xFF, 0xFF, 0xFF, 0x7F], "columns"),
            (bytes.count - 12, nan, "weight"),
        ]
        for (offset, patch, what) in cases {
            XCTAssertThrowsError(try ModelFile.decode(patched(bytes, at: offset, with: patch), path: "m.mcm"), what) { error in
                guard case ModelFileError.invalid(_, let detail) = error else { return XCTFail("\(what): \(error)") }
                XCTAssertTrue(detail.contains(what), "\(what): \(detail)")
            }
        }
    }

    func testSaveReplacesTheFileAndLeavesNoTemporaryFile() throws {
        let path = folder + "/model.mcm"
        try ModelFile.save(SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 64)), to: path)
        let newer = trainedClassifier()
        try ModelFile.save(newer, to: path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["model.mcm"])
        assertIdentical(try ModelFile.load(from: path), newer)
    }

    func testUnwritableAndMissingPathsGiveErrorsNamingThem() {
        XCTAssertThrowsError(try ModelFile.save(trainedClassifier(), to: folder + "/missing/model.mcm")) { error in
            XCTAssertTrue("\(error)".contains(folder + "/missing/"), "\(error)")
        }
        XCTAssertThrowsError(try ModelFile.load(from: folder + "/absent.mcm")) { error in
            XCTAssertEqual("\(error)", "\(folder)/absent.mcm: cannot open it: No such file or directory")
        }
        XCTAssertThrowsError(try ModelFile.load(from: folder)) { error in
            XCTAssertTrue("\(error)".contains("Is a directory"), "\(error)")
        }
    }

    func testEmptyAndTruncatedFilesOnDiskAreRefusedWithoutMappingPastTheirEnd() throws {
        let path = folder + "/model.mcm"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        XCTAssertThrowsError(try ModelFile.load(from: path)) { error in
            XCTAssertEqual("\(error)", "\(path): not a movieclassifier model file. The file is empty.")
        }
        let bytes = ModelFile.encode(trainedClassifier())
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes.dropLast(9))))
        XCTAssertThrowsError(try ModelFile.load(from: path)) { error in
            XCTAssertTrue("\(error)".contains("truncated: the header announces \(bytes.count) bytes but the file has \(bytes.count - 9)"), "\(error)")
        }
    }
}
