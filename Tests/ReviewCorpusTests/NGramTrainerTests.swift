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

    func testTrainingTwiceGivesTheSameModelFileBitForBit() {
        let first = NGramTrainer().train(Self.samples)
        let second = NGramTrainer().train(Self.samples)
        XCTAssertEqual(first.regression, second.regression)
        XCTAssertEqual(ModelFile.encode(first), ModelFile.encode(second))
        XCTAssertEqual(first.vectorizer.variant, .ngram)
        XCTAssertEqual(first.training?.rows, UInt64(Self.samples.count))
    }

    func testTheModelSeparatesItsTrainingDataAndReadsNegation() {
        let classifier = NGramTrainer().train(Self.samples)
        for sample in Self.samples {
            XCTAssertEqual(classifier.classify(sample.text).sentiment, sample.sentiment, sample.text)
        }
        XCTAssertLessThan(classifier.decision("It was not good."), 0, "not_good is a negative feature")
    }

    func testFeaturesAreTheScaledColumnsNormalised() {
        let classifier = NGramTrainer().train(Self.samples)
        let regression = classifier.regression
        NGramVectorizer().withTerms(of: "good, superb and never heard of before") { columns, values in
            regression.withScaledRow(columns: columns, values: values) { row in
                XCTAssertGreaterThan(row.count, 0)
                XCTAssertLessThan(row.count, columns.count, "unseen terms are dropped")
                XCTAssertEqual(row.values.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-12)
                XCTAssertEqual(Array(row.columns), Array(row.columns).sorted())
                for (column, value) in zip(row.columns, row.values) {
                    XCTAssertNotEqual(regression.entry(ofColumn: Int(column)).featureScale, 0)
                    XCTAssertNotEqual(value, 0)
                }
                XCTAssertEqual(regression.decision(row), regression.scaledDecision(columns: columns, values: values), accuracy: 1e-12)
            }
        }
        XCTAssertEqual(classifier.decision("zzz qqq"), regression.intercept, "unseen words have no scale")
    }

    func testATermOutsideANegationScopeCountsOnceInEachViewAndItsValueIsTheLogarithmOfOnePlusItsCount() {
        NGramVectorizer().withTerms(of: "fine fine fine") { columns, values in
            // "fine" three times, "fine fine" twice, "fine fine fine" once, each in both views.
            XCTAssertEqual(columns.count, 3)
            XCTAssertEqual(Set(values), [log1p(6.0), log1p(4.0), log1p(2.0)])
            XCTAssertGreaterThanOrEqual(columns.last!, UInt32(NGramVectorizer.blockSize), "the trigram is in the second block")
        }
    }

    func testTheExplanationAddsUpToTheDecisionAndMarksTheWordsThatDecided() {
        let classifier = NGramTrainer().train(Self.samples)
        let text = "Superb acting, but it was not good."
        let explanation = classifier.explain(text)
        XCTAssertEqual(explanation.decision, classifier.decision(text), accuracy: 1e-9)
        XCTAssertEqual(
            explanation.words.reduce(explanation.bias) { $0 + $1.contribution }, classifier.decision(text), accuracy: 1e-9,
            "the words' shares add up to the decision")
        let bytes = Array(text.utf8)
        func word(_ share: Explanation.WordShare) -> String { String(decoding: bytes[share.range], as: UTF8.self) }
        XCTAssertEqual(explanation.words.map(word), ["Superb", "acting", "but", "it", "was", "not", "good"])
        let strongest = explanation.words.max { $0.contribution < $1.contribution }!
        XCTAssertEqual(word(strongest), "Superb")
        let good = explanation.words.first { word($0) == "good" }!
        XCTAssertLessThan(good.contribution, 0, "a negated good pushes towards negative")
        XCTAssertTrue(explanation.contributions.contains { $0.token == "not_good" })
        XCTAssertTrue(explanation.contributions.contains { $0.token == "not good" }, "the plain view's bigram")
    }

    func testAnExplanationOfTheStrongestFeaturesKeepsThemTheDecisionAndEveryWordsShare() {
        let classifier = NGramTrainer().train(Self.samples)
        let text = "Superb and moving, fine acting, but dull and boring, not good."
        let full = classifier.explain(text)
        let short = classifier.explain(text, strongest: 2)
        XCTAssertEqual(short.decision, full.decision)
        XCTAssertEqual(short.words, full.words)
        XCTAssertEqual(short.strongest(2, towards: .positive), full.strongest(2, towards: .positive))
        XCTAssertEqual(short.strongest(2, towards: .negative), full.strongest(2, towards: .negative))
        XCTAssertEqual(short.contributions.count, 4)
    }

    func testTheExplanationsDecisionIsTheClassifiersBitForBitSoTheResultsPageNeedsOnePass() {
        let classifier = NGramTrainer().train(Self.samples)
        let texts = Self.samples.map(\.text) + ["Superb and moving, but not good at all. Never dull!", "", "zzz", "fine fine fine"]
        for text in texts {
            let (prediction, explanation) = classifier.explainedPrediction(text, strongest: 5)
            XCTAssertEqual(explanation.decision.bitPattern, classifier.decision(text).bitPattern, text)
            XCTAssertEqual(prediction, classifier.classify(text), text)
        }
    }
}
