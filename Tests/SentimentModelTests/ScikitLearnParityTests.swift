import Foundation
import SentimentModel
import XCTest

/// The 216 texts of `shared/parity` (200 test reviews, 16 edge cases) with what scikit-learn
/// 1.9.1 makes of them in the book's pipeline: our compatible mode must agree exactly.
final class ScikitLearnParityTests: XCTestCase {
    struct Case: Decodable {
        let id: String
        let text: String
        let tokens: [String]
        let indices: [[Double]]
        let decision: Double
        let proba_positive: Double
    }

    struct Weights: Decodable {
        let intercept: Double
        let columns: [Int]
        let weights: [Double]
    }

    static func cases() throws -> [Case] {
        let lines = try Fixtures.data("sklearn-vectorizer-cases.jsonl.gz").split(separator: UInt8(ascii: "\n"))
        return try lines.map { try JSONDecoder().decode(Case.self, from: Data($0)) }
    }

    func testTokensMatchScikitLearnForEveryCase() throws {
        let tokenizer = BookTokenizer()
        let cases = try Self.cases()
        XCTAssertEqual(cases.count, 216)
        for testCase in cases {
            XCTAssertEqual(tokenizer.tokens(in: testCase.text), testCase.tokens, testCase.id)
        }
    }

    func testFeaturesMatchScikitLearnForEveryCase() throws {
        let vectorizer = HashingVectorizer()
        for testCase in try Self.cases() {
            let features = vectorizer.features(of: testCase.text)
            XCTAssertEqual(features.columns.map(Int.init), testCase.indices.map { Int($0[0]) }, testCase.id)
            guard features.values.count == testCase.indices.count else { continue }
            for (value, expected) in zip(features.values, testCase.indices.map { $0[1] }) {
                XCTAssertEqual(value, expected, accuracy: 1e-12, testCase.id)
            }
        }
    }

    func testImportedScikitLearnModelReproducesItsProbabilities() throws {
        let weights = try JSONDecoder().decode(Weights.self, from: Fixtures.data("sklearn-weights-for-cases.json.gz"))
        var coef = [Double](repeating: 0, count: HashingVectorizer.bookFeatureCount)
        for (column, weight) in zip(weights.columns, weights.weights) { coef[column] = weight }
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(NumpyFile.bytes(shape: [1, coef.count], values: coef)).write(to: URL(fileURLWithPath: folder + "/coef.npy"))
        try Data(NumpyFile.bytes(shape: [1], values: [weights.intercept])).write(to: URL(fileURLWithPath: folder + "/intercept.npy"))

        let classifier = try SklearnImport.classifier(
            coefPath: folder + "/coef.npy", interceptPath: folder + "/intercept.npy", samplesSeen: 45_000)
        let cases = try Self.cases()
        for testCase in cases {
            let decision = classifier.decision(testCase.text)
            XCTAssertEqual(decision, testCase.decision, accuracy: 1e-12, testCase.id)
            let prediction = classifier.classify(testCase.text)
            XCTAssertEqual(prediction.probabilityPositive, testCase.proba_positive, accuracy: 1e-9, testCase.id)
            XCTAssertEqual(prediction.sentiment, testCase.decision > 0 ? .positive : .negative, testCase.id)
        }
        XCTAssertEqual(cases.first { $0.id == "edge-01" }?.proba_positive ?? 0, classifier.classify("").probabilityPositive, accuracy: 1e-15)
    }

    func testExplanationsAddUpToScikitLearnsDecisionOnEveryCase() throws {
        let weights = try JSONDecoder().decode(Weights.self, from: Fixtures.data("sklearn-weights-for-cases.json.gz"))
        var coef = [Double](repeating: 0, count: HashingVectorizer.bookFeatureCount)
        for (column, weight) in zip(weights.columns, weights.weights) { coef[column] = weight }
        let classifier = SentimentClassifier(
            regression: LogisticRegression(weights: coef, scale: 1, intercept: weights.intercept, samplesSeen: 45_000, alpha: 1e-4))
        for testCase in try Self.cases() {
            let explanation = classifier.explain(testCase.text)
            XCTAssertEqual(explanation.decision, testCase.decision, accuracy: 1e-12, testCase.id)
            XCTAssertEqual(explanation.bias, weights.intercept)
            XCTAssertEqual(Set(explanation.contributions.map(\.token)).count, explanation.contributions.count, "each token once")
            let magnitudes = explanation.contributions.map { abs($0.contribution) }
            XCTAssertEqual(magnitudes, magnitudes.sorted(by: >), testCase.id)
        }
    }
}
