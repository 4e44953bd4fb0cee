import ModelTraining
import ReviewCorpus
import SentimentModel
import TestSupport
import XCTest

/// `BookProtocolTrainer`: the book's protocol of minibatches in file order, the last rows held out.
final class BookProtocolTrainerTests: ScratchFolderTestCase {
    /// Row `number` (1-based) of the generated corpus: the words give the label away, and a
    /// filler word makes every row's text distinct.
    private func text(positive: Bool, number: Int) -> String {
        positive ? "wonderful superb filler\(number)" : "awful dreadful filler\(number)"
    }

    /// A CSV of `count` rows labelled alternately 1, 0, 1, ...; `labelFlippedFrom` gives the
    /// rows from that number on the label opposite to their text.
    private func corpus(rows count: Int, labelFlippedFrom flipped: Int = .max) throws -> String {
        var csv = "review,sentiment\n"
        for number in 1...count {
            let positive = number % 2 == 1
            let label = (positive ? 1 : 0) ^ (number >= flipped ? 1 : 0)
            csv += "\(text(positive: positive, number: number)),\(label)\n"
        }
        return try file(csv, name: "corpus-\(count)-\(flipped).csv")
    }

    private func settings(testSize: Int, batchSize: Int, learnTestRows: Bool = true) -> TrainingSettings {
        var settings = TrainingSettings()
        settings.testSize = testSize
        settings.batchSize = batchSize
        settings.learnTestRows = learnTestRows
        return settings
    }

    /// A model with 2^18 columns instead of the book's 2^21: the same learning, eight times
    /// less to fold at the end of each minibatch, so the tests stay fast.
    private static func smallClassifier() -> SentimentClassifier {
        SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 18))
    }

    private func train(
        _ path: String, _ settings: TrainingSettings, skipMalformed: Bool = false,
        classifier: SentimentClassifier = smallClassifier()
    ) throws -> (report: TrainingReport, trainer: BookProtocolTrainer, progress: [Int]) {
        var trainer = BookProtocolTrainer(settings: settings, classifier: classifier)
        let reader = try LabeledReviewReader(path: path, skipMalformed: skipMalformed)
        var progress: [Int] = []
        let report = try trainer.train(from: reader) { progress.append($0) }
        return (report, trainer, progress)
    }

    /// Whether any weight of the features of `text` is non-zero.
    private func hasLearned(_ text: String, _ classifier: SentimentClassifier) -> Bool {
        guard case .book(let vectorizer) = classifier.vectorizer else { return false }
        return vectorizer.features(of: text).columns.contains { classifier.regression.weights[Int($0)] != 0 }
    }

    func testDefaultSettingsAreTheBooks() {
        let settings = TrainingSettings()
        XCTAssertEqual(settings.batchSize, 1000)
        XCTAssertEqual(settings.testSize, 5000)
        XCTAssertTrue(settings.learnTestRows)
        XCTAssertEqual(settings.shuffle, .sklearn(randomState: 1))
    }

    func testLastRowsAreHeldOutAndTheRestLearnedInMinibatches() throws {
        // The book's model (2^21 columns).
        let (report, trainer, progress) = try train(try corpus(rows: 50), settings(testSize: 10, batchSize: 7), classifier: SentimentClassifier())
        XCTAssertEqual(trainer.classifier.regression.featureCount, 1 << 21)
        XCTAssertEqual(report.trainingRows, 40)
        XCTAssertEqual(report.batches, 6)  // ceil(40 / 7)
        XCTAssertEqual(report.testRows, 10)
        XCTAssertEqual(report.testCorrect, 10)
        XCTAssertEqual(report.testAccuracy, 1.0)
        XCTAssertEqual(report.skipped, [])
        XCTAssertGreaterThanOrEqual(report.trainingSeconds, 0)
        XCTAssertEqual(progress, [7, 14, 21, 28, 35, 40])
        XCTAssertEqual(trainer.classifier.regression.samplesSeen, 50, "the test rows are learned after scoring")
    }

    func testAccuracyOnObviousDataIsHigh() throws {
        let (report, trainer, _) = try train(try corpus(rows: 50), settings(testSize: 10, batchSize: 7, learnTestRows: false))
        XCTAssertGreaterThan(try XCTUnwrap(report.testAccuracy), 0.9)
        XCTAssertEqual(trainer.classifier.classify("superb and wonderful").sentiment, .positive)
        XCTAssertEqual(trainer.classifier.classify("dreadful, awful").sentiment, .negative)
    }

    func testHeldOutRowsAreTheLastRowsOfTheFile() throws {
        // Rows 41...50 are labelled against their text, so a model that learned rows 1...40
        // gets all ten "wrong". The proof of which rows were learned is the weights: each row
        // has a filler word of its own, and only the fillers of rows 1...40 may have any.
        let path = try corpus(rows: 50, labelFlippedFrom: 41)
        let (report, trainer, _) = try train(path, settings(testSize: 10, batchSize: 7, learnTestRows: false))
        XCTAssertEqual(report.trainingRows, 40)
        XCTAssertEqual(report.testRows, 10)
        XCTAssertEqual(report.testCorrect, 0)
        XCTAssertEqual(report.testAccuracy, 0.0)
        XCTAssertEqual(trainer.classifier.regression.samplesSeen, 40)
        // Exactly the filler words of rows 1...40 have weights.
        for number in 1...50 {
            XCTAssertEqual(hasLearned("filler\(number)", trainer.classifier), number <= 40, "row \(number)")
        }
    }

    func testHeldOutRowsAreLearnedAfterScoringWhenAsked() throws {
        let path = try corpus(rows: 50, labelFlippedFrom: 41)
        let (report, trainer, _) = try train(path, settings(testSize: 10, batchSize: 7, learnTestRows: true))
        XCTAssertEqual(report.testCorrect, 0, "scored before they are learned")
        XCTAssertEqual(trainer.classifier.regression.samplesSeen, 50)
        for number in 1...50 {
            XCTAssertTrue(hasLearned("filler\(number)", trainer.classifier), "row \(number)")
        }
    }

    func testZeroTestSizeTrainsOnEveryRowAndReportsNoAccuracy() throws {
        let (report, trainer, progress) = try train(try corpus(rows: 50), settings(testSize: 0, batchSize: 7))
        XCTAssertEqual(report.trainingRows, 50)
        XCTAssertEqual(report.batches, 8)  // ceil(50 / 7)
        XCTAssertEqual(report.testRows, 0)
        XCTAssertEqual(report.testCorrect, 0)
        XCTAssertNil(report.testAccuracy)
        XCTAssertEqual(progress, [7, 14, 21, 28, 35, 42, 49, 50])
        XCTAssertEqual(trainer.classifier.regression.samplesSeen, 50)
    }

    func testTestSizeLargerThanTheFileHoldsOutEveryRowAndTrainsNothing() throws {
        let path = try corpus(rows: 50)
        let (report, trainer, progress) = try train(path, settings(testSize: 60, batchSize: 7, learnTestRows: false))
        XCTAssertEqual(report.trainingRows, 0)
        XCTAssertEqual(report.batches, 0)
        XCTAssertEqual(report.testRows, 50)
        // An untrained model's decision is 0, which is "negative": right on the 25 negative rows.
        XCTAssertEqual(report.testCorrect, 25)
        XCTAssertEqual(report.testAccuracy, 0.5)
        XCTAssertEqual(progress, [])
        XCTAssertEqual(trainer.classifier.regression.samplesSeen, 0)
        XCTAssertEqual(trainer.classifier.regression.intercept, 0)

        let learned = try train(path, settings(testSize: 60, batchSize: 7, learnTestRows: true))
        XCTAssertEqual(learned.report.trainingRows, 0)
        XCTAssertEqual(learned.report.testRows, 50)
        XCTAssertEqual(learned.progress, [])
        XCTAssertEqual(learned.trainer.classifier.regression.samplesSeen, 50)
    }

    func testTestSizeEqualToTheRowCountTrainsNothing() throws {
        let (report, _, progress) = try train(try corpus(rows: 50), settings(testSize: 50, batchSize: 7))
        XCTAssertEqual(report.trainingRows, 0)
        XCTAssertEqual(report.batches, 0)
        XCTAssertEqual(report.testRows, 50)
        XCTAssertEqual(progress, [])
    }

    func testProgressIsCalledOncePerMinibatchWithoutAnEmptyLastBatch() throws {
        let (report, _, progress) = try train(try corpus(rows: 50), settings(testSize: 10, batchSize: 8))
        XCTAssertEqual(report.trainingRows, 40)
        XCTAssertEqual(report.batches, 5)
        XCTAssertEqual(progress, [8, 16, 24, 32, 40])

        let single = try train(try corpus(rows: 50), settings(testSize: 47, batchSize: 1000))
        XCTAssertEqual(single.report.trainingRows, 3)
        XCTAssertEqual(single.report.batches, 1)
        XCTAssertEqual(single.progress, [3])
    }

    func testEmptyCorpusTrainsNothingAndReportsNoAccuracy() throws {
        let path = try file("review,sentiment\n", name: "header-only.csv")
        let (report, trainer, progress) = try train(path, settings(testSize: 10, batchSize: 7))
        XCTAssertEqual(report.trainingRows, 0)
        XCTAssertEqual(report.batches, 0)
        XCTAssertEqual(report.testRows, 0)
        XCTAssertNil(report.testAccuracy)
        XCTAssertEqual(progress, [])
        XCTAssertEqual(trainer.classifier.regression.samplesSeen, 0)
    }

    func testTrainingIsDeterministic() throws {
        let path = try corpus(rows: 50)
        let first = try train(path, settings(testSize: 10, batchSize: 7))
        let second = try train(path, settings(testSize: 10, batchSize: 7))
        XCTAssertEqual(first.trainer.classifier.regression, second.trainer.classifier.regression)
    }

    func testMalformedRowStopsTrainingWithItsLine() throws {
        let path = try file("review,sentiment\nwonderful,1\nawful,0\nbad row,maybe\nsuperb,1\n", name: "bad.csv")
        var trainer = BookProtocolTrainer(settings: settings(testSize: 1, batchSize: 7), classifier: Self.smallClassifier())
        let reader = try LabeledReviewReader(path: path)
        XCTAssertThrowsError(try trainer.train(from: reader)) { error in
            XCTAssertEqual(error as? CorpusError, .malformedRow(path: path, line: 4, reason: "the sentiment must be 0 or 1, found `maybe`"))
        }
        XCTAssertEqual(trainer.classifier.regression.samplesSeen, 0, "no minibatch was complete")
    }

    func testManyReadAheadChunksAreLearnedInFileOrder() throws {
        // 3,000 rows: far more than the reading thread hands over at once, so it has to wait
        // for the learner; every row still arrives once, in order.
        let path = try corpus(rows: 3000)
        let (report, trainer, progress) = try train(path, settings(testSize: 100, batchSize: 1000, learnTestRows: false))
        XCTAssertEqual(report.trainingRows, 2900)
        XCTAssertEqual(report.batches, 3)
        XCTAssertEqual(report.testRows, 100)
        XCTAssertEqual(report.testCorrect, 100)
        XCTAssertEqual(progress, [1000, 2000, 2900])
        XCTAssertEqual(trainer.classifier.regression.samplesSeen, 2900)
        XCTAssertTrue(hasLearned("filler2900", trainer.classifier))
        XCTAssertFalse(hasLearned("filler2901", trainer.classifier))
    }

    func testMalformedRowFarIntoTheFileStopsTrainingWithItsLine() throws {
        var csv = "review,sentiment\n"
        for number in 1...2000 { csv += "\(text(positive: number % 2 == 1, number: number)),\(number % 2)\n" }
        csv += "broken,yes\n"
        for number in 2001...2100 { csv += "\(text(positive: number % 2 == 1, number: number)),\(number % 2)\n" }
        let path = try file(csv, name: "late-error.csv")
        var trainer = BookProtocolTrainer(settings: settings(testSize: 10, batchSize: 500), classifier: Self.smallClassifier())
        var progress: [Int] = []
        XCTAssertThrowsError(try trainer.train(from: try LabeledReviewReader(path: path)) { progress.append($0) }) { error in
            XCTAssertEqual(error as? CorpusError, .malformedRow(path: path, line: 2002, reason: "the sentiment must be 0 or 1, found `yes`"))
        }
        XCTAssertEqual(progress, [500, 1000, 1500], "the rows before the bad one are learned in whole minibatches")
        XCTAssertEqual(trainer.classifier.regression.samplesSeen, 1500)
    }

    func testSkippedRowsAreReportedAndLeftOut() throws {
        let path = try file("review,sentiment\nwonderful,1\nawful,0\nbad row,maybe\nsuperb,1\ndreadful,0\n\"open,1\n", name: "bad.csv")
        let (report, trainer, progress) = try train(path, settings(testSize: 1, batchSize: 2), skipMalformed: true)
        XCTAssertEqual(report.trainingRows, 3)
        XCTAssertEqual(report.batches, 2)
        XCTAssertEqual(report.testRows, 1)
        XCTAssertEqual(progress, [2, 3])
        XCTAssertEqual(
            report.skipped,
            [
                .malformedRow(path: path, line: 4, reason: "the sentiment must be 0 or 1, found `maybe`"),
                .malformedRow(path: path, line: 7, reason: "the quoted field opened on line 7 is never closed"),
            ])
        XCTAssertEqual(trainer.classifier.regression.samplesSeen, 4)
    }
}
