import FeedbackStore
import Foundation
import LiveModel
import PostgreSQLFeedbackStore
import SentimentModel
import TestSupport
import XCTest

/// The one rule across hosts: the live models of two hosts, each with its own connection to
/// the shared log and its own copy of the model file, learn the feedback either one stored and
/// answer alike, bit for bit.
final class TwoHostsLiveModelTests: PostgreSQLFeedbackStoreTestCase {
    /// The book's variant, small enough to build at once, trained enough to have weights of
    /// both signs.
    static func smallModel() -> SentimentClassifier {
        var classifier = SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 12))
        classifier.partialFit([
            LabeledSample(text: "wonderful superb moving", sentiment: .positive),
            LabeledSample(text: "awful dreadful boring", sentiment: .negative),
        ])
        return classifier
    }

    func testFeedbackStoredThroughOneHostIsLearnedByTheOtherAndBothAnswerAlike() throws {
        let scratch = try ScratchFolder("two-hosts")
        defer { scratch.remove() }
        // Each host has its own copy of the same model file.
        let (modelA, modelB) = (scratch.path + "/a.mcm", scratch.path + "/b.mcm")
        try ModelFile.save(Self.smallModel(), to: modelA)
        try ModelFile.save(Self.smallModel(), to: modelB)
        let hostA = try LiveClassifier(modelPath: modelA, store: try store())
        let hostB = try LiveClassifier(modelPath: modelB, store: try store())
        let text = "a moving story with superb acting, though the ending was dreadful"
        XCTAssertEqual(try hostA.classify(text), try hostB.classify(text))
        let before = try hostB.classify(text).probabilityPositive

        let policy = TrustPolicy(budget: 100, storedLimit: 100)
        for (index, sentiment) in [Sentiment.negative, .negative, .positive, .negative].enumerated() {
            let outcome = try hostA.recordFeedback(review: text + " \(index)", sentiment: sentiment, client: "client-\(index)", policy: policy)
            guard case .stored(_, .counts) = outcome else { return XCTFail("\(outcome)") }
        }
        // NOTIFY is delivered at the commit; host B reads it from its socket before answering.
        try waitUntil("host B to apply the four rows") { try hostB.classify(text) == hostA.classify(text) }
        XCTAssertEqual(hostB.watermark, hostA.watermark)
        XCTAssertEqual(hostB.watermark, 4)
        XCTAssertNotEqual(try hostB.classify(text).probabilityPositive, before, "host B learned")
        XCTAssertEqual(hostB.modelVersion, hostA.modelVersion, "the same file and watermark: the same version on both hosts")
    }

    func testWhileTheServerIsDownTheLiveModelAnswersWithWhatItHoldsAndFeedbackIsRefused() throws {
        let scratch = try ScratchFolder("server-down")
        defer { scratch.remove() }
        let model = scratch.path + "/model.mcm"
        try ModelFile.save(Self.smallModel(), to: model)
        let live = try LiveClassifier(modelPath: model, store: try store())
        let policy = TrustPolicy(budget: 100, storedLimit: 100)
        _ = try live.recordFeedback(review: "superb and moving, a film to see twice", sentiment: .positive, client: "a", policy: policy)
        let text = "a superb and moving film"
        let held = try live.classify(text)
        XCTAssertNil(live.catchUpProblem)

        try server.stop(mode: .immediate)
        XCTAssertEqual(try live.classify(text), held, "answered with the model it holds")
        XCTAssertNotNil(live.catchUpProblem, "and says why it may be behind")
        XCTAssertThrowsError(
            try live.recordFeedback(review: "dreadful, a waste of two hours", sentiment: .negative, client: "b", policy: policy),
            "nothing acknowledged that is not committed")

        try server.start()
        try waitUntil("the live model to catch up again") {
            _ = try live.classify(text)
            return live.catchUpProblem == nil
        }
        let outcome = try live.recordFeedback(review: "dreadful, a waste of two hours", sentiment: .negative, client: "b", policy: policy)
        guard case .stored(let id, _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(live.watermark, id, "the new row applied")
        // A crash skips the sequence ahead (PostgreSQL logs it 32 values at a time): a gap, never a reuse.
        XCTAssertEqual(try store().rows(after: 0, limit: 10).map(\.id), [1, id], "the row acknowledged before the stop, and the new one")
    }
}
