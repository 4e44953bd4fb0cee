import FeedbackStore
import Foundation
import LiveModel
import ModelUpdate
import PostgreSQLFeedbackStore
import SentimentModel
import TestSupport
import XCTest

/// One model for all hosts: the model's versions in the shared log, published by the first
/// worker, `update` and `rollback`, and copied and loaded by every host's live model.
final class SharedModelTests: PostgreSQLFeedbackStoreTestCase {
    let policy = TrustPolicy(budget: 100, storedLimit: 100)
    let text = "a moving story with superb acting, though the ending was dreadful"

    /// A model unlike `TwoHostsLiveModelTests.smallModel()`: another file.
    static func otherModel() -> SentimentClassifier {
        var classifier = TwoHostsLiveModelTests.smallModel()
        classifier.partialFit([LabeledSample(text: "moving but dreadful", sentiment: .negative)])
        return classifier
    }

    func testTheFirstWorkerOnANewDatabasePublishesItsFileAndAHostGivenAnotherFileServesThatOne() throws {
        let scratch = try ScratchFolder("shared-first")
        defer { scratch.remove() }
        let (modelA, modelB) = (scratch.path + "/a.mcm", scratch.path + "/b.mcm")
        try ModelFile.save(TwoHostsLiveModelTests.smallModel(), to: modelA)
        try ModelFile.save(Self.otherModel(), to: modelB)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: modelA)), try Data(contentsOf: URL(fileURLWithPath: modelB)))

        let hostA = try LiveClassifier(modelPath: modelA, store: try store())
        let versions = try store().modelVersions()
        XCTAssertEqual(versions.map(\.id), [1])
        XCTAssertEqual(versions.first?.checksum, ModelFile.storedChecksum(atPath: modelA))
        XCTAssertEqual(versions.first?.size, try Data(contentsOf: URL(fileURLWithPath: modelA)).count)
        XCTAssertTrue(versions.first?.origin.hasPrefix("the model file of the first worker to start") ?? false, "\(versions)")

        let hostB = try LiveClassifier(modelPath: modelB, store: try store())
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: modelB)), try Data(contentsOf: URL(fileURLWithPath: modelA)),
            "host B's file is now a copy of the version")
        XCTAssertEqual(hostB.modelVersion, hostA.modelVersion)
        XCTAssertEqual(try hostB.classify(text), try hostA.classify(text))
        XCTAssertEqual(try store().modelVersions().count, 1, "published once")
    }

    func testAModelFileReplacedByHandIsNeverServedAndTheLogsNextChangePutsTheSharedVersionBack() throws {
        let scratch = try ScratchFolder("shared-by-hand")
        defer { scratch.remove() }
        let model = scratch.path + "/host.mcm"
        try ModelFile.save(TwoHostsLiveModelTests.smallModel(), to: model)
        let host = try LiveClassifier(modelPath: model, store: try store())
        let shared = try XCTUnwrap(try store().newestModelVersion())
        let served = try host.classify(text)
        let version = host.modelVersion
        XCTAssertNotEqual(Self.otherModel().classify(text), served, "the file copied by hand would answer otherwise")

        try ModelFile.save(Self.otherModel(), to: model)
        XCTAssertNotEqual(ModelFile.storedChecksum(atPath: model), shared.checksum)
        XCTAssertEqual(try host.classify(text), served, "nothing reported: the file is not looked at")
        XCTAssertEqual(host.modelVersion, version)

        // A feedback row from elsewhere: its notification makes the host look, and it finds the
        // file changed without a new version.
        let row = try store().insert(review: text, sentiment: 0)
        try waitUntil("the host to apply the row") {
            _ = try host.classify(text)
            return host.watermark == row
        }
        XCTAssertEqual(ModelFile.storedChecksum(atPath: model), shared.checksum, "the shared version put back")
        XCTAssertEqual(host.modelVersion, Self.hex(shared.checksum) + ".\(row)", "the row applied to the shared version")
        var expected = TwoHostsLiveModelTests.smallModel()
        _ = expected.fold(try XCTUnwrap(try store().row(id: row)))
        XCTAssertEqual(try host.classify(text), expected.classify(text))
    }

    func testAnUpdateOnOneHostIsLoadedByTheOtherAndARollbackToo() throws {
        let scratch = try ScratchFolder("shared-update")
        defer { scratch.remove() }
        let (modelA, modelB) = (scratch.path + "/a.mcm", scratch.path + "/b.mcm")
        try ModelFile.save(TwoHostsLiveModelTests.smallModel(), to: modelA)
        try ModelFile.save(TwoHostsLiveModelTests.smallModel(), to: modelB)
        let hostA = try LiveClassifier(modelPath: modelA, store: try store())
        let hostB = try LiveClassifier(modelPath: modelB, store: try store(pollInterval: .seconds(3600)))
        let first = try XCTUnwrap(try store().newestModelVersion())
        for (index, sentiment) in [Sentiment.negative, .negative, .positive, .negative].enumerated() {
            _ = try hostA.recordFeedback(review: text + " \(index)", sentiment: sentiment, client: "client-\(index)", policy: policy)
        }
        try waitUntil("host B to apply the rows") { try hostB.classify(text) == hostA.classify(text) && hostB.watermark == 4 }
        let learned = try hostA.classify(text)

        // The update, run on host A's machine: a version with the rows folded in.
        var updater = ModelUpdater(modelPath: modelA, store: try store())
        updater.keep = 5
        let report = try updater.run()
        let published = try XCTUnwrap(report.publishedVersion)
        XCTAssertEqual(published.id, 2)
        XCTAssertEqual(published.watermark, 4)
        XCTAssertEqual(published.origin, "update")
        XCTAssertEqual(ModelFile.storedChecksum(atPath: modelA), published.checksum, "this host's file written too")
        XCTAssertNil(report.backupPath, "the backups are the earlier versions, not files")

        // Host B hears of it (NOTIFY), copies it into its own file and loads it.
        try waitUntil("host B to load version 2") {
            _ = try hostB.classify(text)
            return ModelFile.storedChecksum(atPath: modelB) == published.checksum && hostB.modelVersion.hasPrefix(Self.hex(published.checksum))
        }
        XCTAssertEqual(try hostB.classify(text), learned, "the version holds what every host had learned: no prediction changes")
        XCTAssertEqual(hostB.watermark, 4)
        _ = try hostA.classify(text)
        XCTAssertEqual(hostA.modelVersion, hostB.modelVersion)

        // The rollback publishes version 1's bytes again, as version 3; the hosts replay rows 1-4 on it.
        let rollback = try ModelRollback(modelPath: modelA, sharedLog: try store()).run()
        let restored = try XCTUnwrap(rollback.publishedVersion)
        XCTAssertEqual(restored.id, 3)
        XCTAssertEqual(restored.checksum, first.checksum)
        XCTAssertEqual(restored.watermark, 0)
        XCTAssertEqual(rollback.restoredPath, "model version 1")
        try waitUntil("host B to load version 3") {
            _ = try hostB.classify(text)
            return hostB.modelVersion == Self.hex(first.checksum) + ".4"
        }
        XCTAssertEqual(try hostB.classify(text), learned, "rows replayed on the restored model")
        XCTAssertEqual(try store().modelVersions().map(\.id), [3, 2, 1], "the replaced version stays among the backups")
    }

    func testOneUpdateAtATimeAcrossHosts() throws {
        let scratch = try ScratchFolder("shared-lock")
        defer { scratch.remove() }
        let model = scratch.path + "/model.mcm"
        try ModelFile.save(TwoHostsLiveModelTests.smallModel(), to: model)
        _ = try LiveClassifier(modelPath: model, store: try store()).recordFeedback(review: text, sentiment: .positive)
        let otherHost = try store()
        XCTAssertTrue(try otherHost.lockModelChanges())
        XCTAssertThrowsError(try ModelUpdater(modelPath: model, store: try store()).run()) { error in
            guard case ModelUpdateError.busyElsewhere = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("another movieclassifier update or rollback"), "\(error)")
        }
        XCTAssertThrowsError(try ModelRollback(modelPath: model, sharedLog: try store()).run())
        otherHost.unlockModelChanges()
        XCTAssertEqual(try ModelUpdater(modelPath: model, store: try store()).run().publishedVersion?.id, 2)
    }

    func testAVersionPublishedUnderAnOlderGenerationIsRefusedAndKeepDeletesTheOldest() throws {
        let log = try store()
        // Every byte value, to check the bytea round trip.
        let bytes = (0..<1000).map { UInt8($0 % 256) }
        func publication(_ watermark: Int64) -> ModelPublication {
            ModelPublication(bytes: bytes, checksum: 7, watermark: watermark, createdBy: "tests@here", origin: "test")
        }
        let first = try XCTUnwrap(try log.publishModel(publication(0), ifGeneration: 0, keep: nil))
        XCTAssertEqual(try log.modelBytes(of: first.published.id), bytes)
        XCTAssertEqual(first.published.createdBy, "tests@here")
        XCTAssertNil(try log.modelBytes(of: 99))

        let id = try log.insert(review: "dreadful", sentiment: 0)
        _ = try log.setRejected(true, ids: [id])
        XCTAssertNil(try log.publishModel(publication(1), ifGeneration: 0, keep: nil), "an admin decided meanwhile")
        XCTAssertEqual(try log.modelVersions().count, 1)

        _ = try log.publishModel(publication(1), ifGeneration: 1, keep: nil)
        _ = try log.publishModel(publication(2), ifGeneration: nil, keep: nil)
        let last = try XCTUnwrap(try log.publishModel(publication(3), ifGeneration: nil, keep: 2))
        XCTAssertEqual(last.removed.map(\.id), [2, 1], "newest first, as the versions are listed")
        XCTAssertEqual(try log.modelVersions().map(\.watermark), [3, 2])
    }

    func testAnotherStoreHearsOfANewVersionWithoutARoundTrip() throws {
        let listener = try store()
        _ = try listener.hasChanged()
        XCTAssertTrue(listener.takeModelNotice(), "at first: a version may exist")
        XCTAssertFalse(listener.takeModelNotice())
        _ = try store().insert(review: "superb", sentiment: 1)
        try waitUntil("the row's notification") { try listener.hasChanged() }
        XCTAssertFalse(listener.takeModelNotice(), "a row is not a model")
        _ = try store().publishModel(
            ModelPublication(bytes: [1, 2, 3, 4, 5], checksum: 1, watermark: 0, origin: "test"), ifGeneration: nil, keep: nil)
        try waitUntil("the version's notification") { try listener.hasChanged() }
        XCTAssertTrue(listener.takeModelNotice())
    }

    static func hex(_ checksum: UInt32) -> String {
        let digits = String(checksum, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
