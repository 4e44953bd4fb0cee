import XCTest

@testable import SentimentModel

final class LogisticRegressionTests: XCTestCase {
    /// Three rows over 8 columns; reference weights from scikit-learn 1.9.1:
    /// `SGDClassifier(loss='log_loss', random_state=1, max_iter=1[, shuffle=False]).partial_fit`.
    let rows = [
        SparseVector(columns: [3], values: [1.0]),
        SparseVector(columns: [3, 7], values: [0.6, 0.8]),
        SparseVector(columns: [1], values: [1.0]),
    ]
    let labels = [true, false, true]

    func partialFit(_ model: inout LogisticRegression, indices: [Int], labels: [Bool]) {
        for index in indices {
            rows[index].withRow { model.learn($0, positive: labels[index]) }
        }
        model.foldScale()
    }

    func assertWeights(_ model: LogisticRegression, _ expected: [Double], intercept: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(model.scale, 1, file: file, line: line)
        for (column, weight) in expected.enumerated() {
            XCTAssertEqual(model.weights[column], weight, accuracy: 1e-15, "column \(column)", file: file, line: line)
        }
        XCTAssertEqual(model.intercept, intercept, accuracy: 1e-15, file: file, line: line)
    }

    func testPartialFitInFileOrderGivesScikitLearnsWeights() {
        var model = LogisticRegression(featureCount: 8)
        partialFit(&model, indices: [0, 1, 2], labels: labels)
        assertWeights(model, [0, 5.103231242899689, 0, -0.7272406777447844, 0, 0, 0, -7.623014183766166], intercept: 0.005649442647107539)
        partialFit(&model, indices: [0, 1], labels: [false, false])
        assertWeights(model, [0, 5.093065443611044, 0, -3.9843908863174318, 0, 0, 0, -7.609431163121654], intercept: -0.026977034179905737)
        XCTAssertEqual(model.samplesSeen, 5, "scikit-learn's t_ is 6")
    }

    func testShuffledPartialFitGivesScikitLearnsWeightsForRandomStateOne() {
        var model = LogisticRegression(featureCount: 8)
        partialFit(&model, indices: MinibatchShuffle.book.order(count: 3), labels: labels)
        assertWeights(model, [0, 4.865295444269358, 0, -0.7388136570178805, 0, 0, 0, -7.638444822796962], intercept: 0.0032209985078241604)
    }

    func testShuffleOrderMatchesScikitLearns() {
        XCTAssertEqual(MinibatchShuffle.shuffleSeed(randomState: 1), 2_135_392_491)
        XCTAssertEqual(MinibatchShuffle.shuffleSeed(randomState: 7), 976_413_892, "RandomState(7).randint(2**31-1) after randint(1, 2**31-1)")
        XCTAssertEqual(MinibatchShuffle.book.order(count: 10), [2, 1, 8, 9, 7, 0, 6, 5, 3, 4])
        XCTAssertEqual(Array(MinibatchShuffle.book.order(count: 1000).prefix(12)), [462, 568, 776, 713, 841, 23, 884, 788, 77, 93, 571, 89])
        XCTAssertEqual(Array(MinibatchShuffle.book.order(count: 5000).prefix(6)), [4462, 3693, 1708, 4206, 2829, 3813])
        XCTAssertEqual(MinibatchShuffle.none.order(count: 4), [0, 1, 2, 3])
        XCTAssertEqual(Set(MinibatchShuffle.book.order(count: 777)), Set(0..<777))
    }

    func testMersenneTwisterMatchesTheReferenceSequence() {
        var generator = MersenneTwister(seed: 1)
        XCTAssertEqual([generator.next(), generator.next(), generator.next()], [1_791_095_845, 4_282_876_139, 3_093_770_124])
    }

    func testOneStepTouchesOnlyTheSamplesColumns() {
        var model = LogisticRegression(featureCount: 8)
        partialFit(&model, indices: [0, 1, 2], labels: labels)
        let before = model.weights
        rows[1].withRow { model.learn($0, positive: true) }
        XCTAssertNotEqual(model.scale, 1, "the L2 shrinkage goes into the scale, not into every weight")
        for column in 0..<8 where column != 3 && column != 7 {
            XCTAssertEqual(model.weights[column].bitPattern, before[column].bitPattern, "column \(column)")
        }
        XCTAssertNotEqual(model.weights[3], before[3])
        XCTAssertNotEqual(model.weights[7], before[7])
    }

    func testLearnsASeparableConceptFromGeneratedReviews() {
        var generator = SystemRandomNumberGenerator()
        let good = ["wonderful", "superb", "moving", "brilliant", "delightful"]
        let bad = ["awful", "dreadful", "boring", "clumsy", "tedious"]
        let neutral = (0..<40).map { "filler\($0)" }
        func review(positive: Bool) -> LabeledSample {
            var words = (0..<12).map { _ in neutral.randomElement(using: &generator)! }
            for _ in 0..<2 { words.append((positive ? good : bad).randomElement(using: &generator)!) }
            words.shuffle(using: &generator)
            return LabeledSample(text: words.joined(separator: " "), sentiment: positive ? .positive : .negative)
        }
        var classifier = SentimentClassifier()
        for _ in 0..<5 {
            classifier.partialFit((0..<200).map { review(positive: $0 % 2 == 0) })
        }
        let test = (0..<200).map { review(positive: $0 % 3 == 0) }
        let correct = test.filter { classifier.classify($0.text).sentiment == $0.sentiment }.count
        XCTAssertEqual(correct, test.count)
        XCTAssertGreaterThan(classifier.classify("wonderful superb").probabilityPositive, 0.9)
        XCTAssertLessThan(classifier.classify("awful tedious").probabilityPositive, 0.1)
    }

    func testPredictionReportsTheProbabilityOfThePredictedLabel() {
        var classifier = SentimentClassifier()
        classifier.learn("dreadful", sentiment: .negative)
        let prediction = classifier.classify("dreadful")
        XCTAssertEqual(prediction.sentiment, .negative)
        XCTAssertEqual(prediction.probability, 1 - prediction.probabilityPositive)
        XCTAssertGreaterThan(prediction.probability, 0.5)
    }

    func testABoundedStepMovesNoDecisionByMoreThanTheBoundPlusTheInterceptsShare() {
        let vectorizer = HashingVectorizer(featureCount: 1 << 12)
        var model = LogisticRegression(featureCount: 1 << 12)
        let texts = ["superb acting", "a dreadful plot", "superb plot, dreadful acting", "nothing in common"]
        func decisions(_ model: LogisticRegression) -> [Double] {
            texts.map { text in vectorizer.withFeatures(of: text) { model.decision($0) } }
        }
        // Early on, the learning rate is large: an unbounded step would move far more.
        var unbounded = model
        vectorizer.withFeatures(of: "superb acting") { unbounded.learn($0, positive: true) }
        let before = decisions(model)
        vectorizer.withFeatures(of: "superb acting") { model.learn($0, positive: true, maximumStep: 0.1) }
        let after = decisions(model)
        for (text, (old, new)) in zip(texts, zip(before, after)) {
            XCTAssertLessThanOrEqual(abs(new - old), 0.1 * 1.01 + 1e-12, text)
        }
        XCTAssertEqual(after[0] - before[0], 0.1 * 1.01, accuracy: 1e-9, "the bound is reached on the text itself (x·x = 1)")
        XCTAssertGreaterThan(decisions(unbounded)[0] - before[0], 1, "unbounded, the step is far larger")
    }
}
