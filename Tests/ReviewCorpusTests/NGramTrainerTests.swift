import ModelTraining
import SentimentModel
import XCTest

/// The n-gram variant's trainer on small data it makes: deterministic, and it learns.
final class NGramTrainerTests: XCTestCase {
    /// Reviews of words that say their label, some negated ("not good" is negative).
    static let samples: [LabeledSample] = (0..<300).map { number in
        let positive = number % 2 == 0
        let words = positive ? ["good", "superb", "moving", "fine"] : ["dull", "awful", "boring", "not good"]
        let text = "Review \(number): " + (0..<4).map { words[($0 + number / 2) % 4] }.joined(separator: ", ") + "."
        return LabeledSample(text: text, sentiment: positive ? .positive : .negative)
    }

    func testTrainingTwiceGivesTheSameModelBitForBit() {
        let first = NGramTrainer().train(Self.samples)
        let second = NGramTrainer().train(Self.samples)
        XCTAssertEqual(first.regression, second.regression)
        XCTAssertEqual(first.vectorizer.scaledColumnCount, second.vectorizer.scaledColumnCount)
    }

    func testTheModelSeparatesItsTrainingDataAndReadsNegation() {
        let (vectorizer, regression) = NGramTrainer().train(Self.samples)
        for sample in Self.samples {
            let decision = vectorizer.withFeatures(of: sample.text) { regression.decision($0) }
            XCTAssertEqual(decision > 0, sample.sentiment == .positive, sample.text)
        }
        let negated = vectorizer.withFeatures(of: "It was not good.") { regression.decision($0) }
        XCTAssertLessThan(negated, 0, "not_good is a negative feature")
    }

    func testFeaturesAreTheScaledColumnsNormalised() {
        let (vectorizer, _) = NGramTrainer().train(Self.samples)
        vectorizer.withFeatures(of: "good, superb and never heard of before") { row in
            XCTAssertGreaterThan(row.count, 0)
            XCTAssertEqual(row.values.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-12)
            XCTAssertEqual(Array(row.columns), Array(row.columns).sorted())
        }
        vectorizer.withFeatures(of: "zzz qqq") { XCTAssertEqual($0.count, 0, "unseen words have no scale") }
    }
}
