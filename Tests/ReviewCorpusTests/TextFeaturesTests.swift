import ModelTraining
import SentimentModel
import XCTest

/// A text's features made once classify and learn exactly as the text itself does, in both
/// variants: a worker classifies a feedback's review and then learns it from the same features.
final class TextFeaturesTests: XCTestCase {
    static let texts = [
        "Superb and moving, but not good at all. Never dull!", "a dreadful, boring plot", "fine fine fine", "", "zzz", "<br />:-) great",
    ]

    func models() -> [SentimentClassifier] {
        var book = SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 12))
        book.partialFit(NGramTrainerTests.samples)
        return [NGramTrainer().train(NGramTrainerTests.samples), book]
    }

    func testClassifyingAndLearningFromFeaturesEqualsFromTheTextBitForBit() {
        for model in models() {
            var fromText = model
            var fromFeatures = model
            for (index, text) in Self.texts.enumerated() {
                let features = model.features(of: text)
                XCTAssertEqual(model.decision(features).bitPattern, model.decision(text).bitPattern, "\(model.vectorizer.variant): \(text)")
                let sentiment: Sentiment = index % 2 == 0 ? .positive : .negative
                fromText.learn(text, sentiment: sentiment, maximumStep: 0.1)
                fromFeatures.learn(features, sentiment: sentiment, maximumStep: 0.1)
                XCTAssertEqual(fromFeatures.regression, fromText.regression, "\(model.vectorizer.variant): \(text)")
            }
            XCTAssertNotEqual(fromText.regression, model.regression, "the texts taught something")
        }
    }
}
