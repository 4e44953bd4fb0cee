import FeedbackStore
import Foundation
import SentimentModel
import TestSupport
import XCTest

@testable import LiveModel

final class ResumePointTests: XCTestCase {
    var folder = ""
    var modelPath: String { folder + "/classifier.mcm" }
    var databasePath: String { folder + "/feedback.sqlite" }
    var resumePoint: ResumePoint { ResumePoint(path: databasePath + "-resume", interval: 3) }

    let reviews: [(String, Sentiment)] = [
        ("a moving film", .positive), ("a dreadful plot", .negative), ("superb acting", .positive), ("boring and slow", .negative),
        ("wonderful score", .positive), ("awful dialogue", .negative), ("a superb ending", .positive),
    ]

    override func setUpWithError() throws {
        folder = try ScratchFolder("resume-point").path
        try ModelFile.save(LiveClassifierTests.smallModel(), to: modelPath)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    /// A worker process's live model on the shared database, with the resume point.
    func worker(resumingFrom point: ResumePoint? = nil) throws -> LiveClassifier {
        try LiveClassifier(modelPath: modelPath, store: FeedbackStore(path: databasePath), resumePoint: point ?? resumePoint)
    }

    /// Everything that makes two live models predict and learn alike, short enough to read in
    /// a failure: the steps learned, the watermark, and a hash of the raw weights, scale and
    /// intercept as bit patterns.
    func bits(_ classifier: SentimentClassifier) -> String {
        let regression = classifier.regression
        var hasher = Hasher()
        for weight in regression.weights { hasher.combine(weight.bitPattern) }
        hasher.combine(regression.scale.bitPattern)
        hasher.combine(regression.intercept.bitPattern)
        return "steps \(regression.samplesSeen), watermark \(classifier.watermark), weights \(hasher.finalize())"
    }

    /// The one rule: `model`, then `rows` learned in order, its watermark the last row's id.
    func expected(_ model: SentimentClassifier, learning rows: ArraySlice<(String, Sentiment)>, through id: Int64) -> SentimentClassifier {
        var model = model
        for (review, sentiment) in rows { model.learn(review, sentiment: sentiment, maximumStep: FeedbackVerdict.maximumStep) }
        model.watermark = id
        return model
    }

    func modelFileChecksum() throws -> UInt32 {
        try XCTUnwrap(ModelFile.storedChecksum(atPath: modelPath))
    }

    /// Stores the reviews through one worker, as feedback arrives.
    func storeAllReviews() throws {
        let writer = try worker()
        for (review, sentiment) in reviews { try writer.recordFeedback(review: review, sentiment: sentiment) }
    }

    /// Plants at the resume point a model that the one rule would never give (the file's model
    /// having learned a marker text), stamped as the file's model at `id` under `generation`:
    /// whoever takes it up is told apart by its weights.
    func plantMarkedModel(at id: Int64, generation: Int64 = 0, modelFile: UInt32? = nil) throws -> SentimentClassifier {
        var marked = LiveClassifierTests.smallModel()
        marked.learn("marker marker marker", sentiment: .positive)
        marked.watermark = id
        let row = try XCTUnwrap(try FeedbackStore(path: databasePath).row(id: id))
        unlink(resumePoint.path)
        let store = try FeedbackStore(path: databasePath)
        try resumePoint.save(marked, modelFile: modelFile ?? modelFileChecksum(), generation: generation, lastRow: row, log: store)
        return marked
    }

    func testWorkersSaveTheLiveModelEachTimeTheirWatermarkPassesAMultipleOfTheInterval() throws {
        try storeAllReviews()

        let stamp = try XCTUnwrap(resumePoint.stamp())
        XCTAssertEqual(stamp.watermark, 6, "saved at rows 3 and 6 of 7")
        XCTAssertEqual(stamp.modelFile, try modelFileChecksum())
        let saved = try XCTUnwrap(
            resumePoint.take(modelFile: stamp.modelFile, generation: 0, after: 0, log: FeedbackStore(path: databasePath)))
        XCTAssertEqual(bits(saved), bits(expected(LiveClassifierTests.smallModel(), learning: reviews[..<6], through: 6)))
    }

    func testAWorkerThatStartsTakesUpTheResumePointAndFoldsOnlyTheRowsAfterIt() throws {
        try storeAllReviews()
        let marked = try plantMarkedModel(at: 6)

        let started = try worker()

        XCTAssertEqual(bits(started.classifier), bits(expected(marked, learning: reviews[6...], through: 7)))
    }

    func testAWorkerStartedFromTheSavedPointAgreesBitForBitWithOneThatFoldedEveryRow() throws {
        try storeAllReviews()

        let resumed = try worker()
        let fromTheFile = try worker(resumingFrom: ResumePoint(path: folder + "/none", interval: 1_000))

        let truth = expected(LiveClassifierTests.smallModel(), learning: reviews[...], through: 7)
        XCTAssertEqual(bits(resumed.classifier), bits(truth))
        XCTAssertEqual(bits(fromTheFile.classifier), bits(truth))
        XCTAssertEqual(try resumed.classify("superb but boring"), try fromTheFile.classify("superb but boring"))
    }

    func testAPointSavedFromAnotherModelFileIsNotTakenUp() throws {
        try storeAllReviews()
        _ = try plantMarkedModel(at: 6, modelFile: try modelFileChecksum() ^ 1)

        let started = try worker()

        XCTAssertEqual(bits(started.classifier), bits(expected(LiveClassifierTests.smallModel(), learning: reviews[...], through: 7)))
    }

    func testAPointSavedBeforeAnAdminsDecisionIsNotTakenUp() throws {
        try storeAllReviews()
        _ = try plantMarkedModel(at: 6)
        XCTAssertEqual(try FeedbackStore(path: databasePath).setRejected(true, ids: [2]).changed, [2])

        let started = try worker()

        var rows = reviews[...]
        rows.remove(at: 1)
        XCTAssertEqual(bits(started.classifier), bits(expected(LiveClassifierTests.smallModel(), learning: rows, through: 7)))
    }

    func testAPointBesideADatabaseReplacedByAnotherWithOtherRowsIsNotTakenUp() throws {
        try storeAllReviews()
        _ = try plantMarkedModel(at: 6)
        for suffix in ["", "-wal", "-shm", "-changes"] { unlink(databasePath + suffix) }
        let other = reviews.map { ($0.0 + " indeed", $0.1) }
        let writer = try LiveClassifier(modelPath: modelPath, store: FeedbackStore(path: databasePath))
        for (review, sentiment) in other { try writer.recordFeedback(review: review, sentiment: sentiment) }

        let started = try worker()

        XCTAssertEqual(bits(started.classifier), bits(expected(LiveClassifierTests.smallModel(), learning: other[...], through: 7)))
    }

    func testAPointDamagedInItsModelIsNotTakenUp() throws {
        try storeAllReviews()
        _ = try plantMarkedModel(at: 6)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: resumePoint.path))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: resumePoint.path))

        let started = try worker()

        XCTAssertEqual(bits(started.classifier), bits(expected(LiveClassifierTests.smallModel(), learning: reviews[...], through: 7)))
    }

    func testAPointDamagedInItsStampIsNotTakenUp() throws {
        try storeAllReviews()
        // Saved under generation 1; the damage makes it 0, the log's, which only the point's
        // own checksum can tell.
        _ = try plantMarkedModel(at: 6, generation: 1)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: resumePoint.path))
        XCTAssertEqual(bytes[16], 1)
        bytes[16] = 0
        try bytes.write(to: URL(fileURLWithPath: resumePoint.path))
        XCTAssertEqual(resumePoint.stamp()?.generation, 0)

        let started = try worker()

        XCTAssertEqual(bits(started.classifier), bits(expected(LiveClassifierTests.smallModel(), learning: reviews[...], through: 7)))
    }

    func testAWorkerCatchingUpBehindTheSavedPointLeavesItAlone() throws {
        let behind = try worker()
        try storeAllReviews()
        let marked = try plantMarkedModel(at: 6)

        // Live since before the first row, it passes rows 3 and 6 itself as it catches up.
        _ = try behind.classify("superb but boring")
        XCTAssertEqual(behind.watermark, 7)

        let started = try worker()
        XCTAssertEqual(
            bits(started.classifier), bits(expected(marked, learning: reviews[6...], through: 7)), "the point saved at row 6 is still there")
    }

    func testAPointLeftByAReplacedDatabaseDoesNotStopTheWorkersSavingTheirs() throws {
        try storeAllReviews()
        XCTAssertEqual(resumePoint.stamp()?.watermark, 6)
        for suffix in ["", "-wal", "-shm", "-changes"] { unlink(databasePath + suffix) }

        let writer = try worker()
        for (review, sentiment) in reviews { try writer.recordFeedback(review: review + " indeed", sentiment: sentiment) }

        let row = try XCTUnwrap(try FeedbackStore(path: databasePath).row(id: 6))
        XCTAssertEqual(resumePoint.stamp()?.lastRow, ResumePoint.fingerprint(of: row), "saved again at row 6, the new log's")
    }
}
