import Foundation
import SentimentModel
import XCTest

final class NumpyImportTests: XCTestCase {
    func testReadsLittleAndBigEndianFloat64Arrays() throws {
        let values = [0.5, -1.25, 3e-300, .infinity, 42]
        for descr in ["<f8", ">f8"] {
            let array = try NumpyArray(bytes: NumpyFile.bytes(shape: [1, 5], values: values, descr: descr), path: "a.npy")
            XCTAssertEqual(array.shape, [1, 5])
            XCTAssertEqual(array.values, values)
        }
        let scalarRow = try NumpyArray(bytes: NumpyFile.bytes(shape: [1], values: [0.0589]), path: "b.npy")
        XCTAssertEqual(scalarRow.shape, [1])
        XCTAssertEqual(scalarRow.values, [0.0589])
    }

    func testRefusesOtherTypesTruncatedDataAndNonNumpyFiles() {
        XCTAssertThrowsError(try NumpyArray(bytes: NumpyFile.bytes(shape: [2], values: [1, 2], descr: "<f4"), path: "f4.npy")) { error in
            XCTAssertTrue("\(error)".contains("'<f4'"), "\(error)")
        }
        let full = NumpyFile.bytes(shape: [1, 4], values: [1, 2, 3, 4])
        XCTAssertThrowsError(try NumpyArray(bytes: Array(full.dropLast(3)), path: "cut.npy")) { error in
            XCTAssertTrue("\(error)".hasPrefix("cut.npy: truncated"), "\(error)")
        }
        XCTAssertThrowsError(try NumpyArray(bytes: Array("not numpy at all".utf8), path: "x.npy")) { error in
            XCTAssertTrue("\(error)".contains("not a NumPy .npy file"), "\(error)")
        }
    }

    func testImportBuildsTheModelScikitLearnDescribes() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let featureCount = 1 << 10
        var coef = [Double](repeating: 0, count: featureCount)
        let vectorizer = HashingVectorizer(featureCount: featureCount)
        let great = vectorizer.features(of: "great")
        coef[Int(great.columns[0])] = 2.5 / great.values[0]
        try Data(NumpyFile.bytes(shape: [1, featureCount], values: coef)).write(to: URL(fileURLWithPath: folder + "/coef.npy"))
        try Data(NumpyFile.bytes(shape: [1], values: [-0.5])).write(to: URL(fileURLWithPath: folder + "/intercept.npy"))

        let classifier = try SklearnImport.classifier(coefPath: folder + "/coef.npy", interceptPath: folder + "/intercept.npy", samplesSeen: 50_000)
        XCTAssertEqual(classifier.vectorizer.featureCount, featureCount)
        XCTAssertEqual(classifier.regression.samplesSeen, 50_000)
        XCTAssertEqual(classifier.classify("great").probabilityPositive, 1 / (1 + exp(-2.0)), accuracy: 1e-15)
        XCTAssertEqual(classifier.classify("nothing known").probabilityPositive, 1 / (1 + exp(0.5)), accuracy: 1e-15)
    }

    func testImportRefusesArraysOfTheWrongShape() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(NumpyFile.bytes(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])).write(to: URL(fileURLWithPath: folder + "/coef.npy"))
        try Data(NumpyFile.bytes(shape: [1], values: [0])).write(to: URL(fileURLWithPath: folder + "/intercept.npy"))
        XCTAssertThrowsError(try SklearnImport.classifier(coefPath: folder + "/coef.npy", interceptPath: folder + "/intercept.npy", samplesSeen: 0)) {
            error in
            XCTAssertEqual("\(error)", "\(folder)/coef.npy: shape (2, 3), expected (1, n_features) as clf.coef_ has")
        }
    }
}
