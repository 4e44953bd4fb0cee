import FeedbackStore
import Foundation
import GRDB
import LiveModel
import SentimentModel
import Support
import TestSupport
import XCTest

/// `movieclassifier update`, `rollback` and `feedback`, run as an admin runs them, beside live
/// workers (`LiveClassifier`s in this process) on the same files, on a model of the book's
/// variant (`NGramUpdateToolTests` runs every test again on one of the n-gram variant).
class UpdateToolTests: XCTestCase {
    var folder = ""
    var modelPath: String { folder + "/classifier.mcm" }
    var databasePath: String { folder + "/feedback.sqlite" }

    override func setUpWithError() throws {
        folder = try ScratchFolder("update-tool-tests").path
        try ModelFile.save(initialModel, to: modelPath)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    var executable: String {
        BuiltProducts.executable("movieclassifier", besides: UpdateToolTests.self)
    }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        try SpawnedProgram(executable, arguments, in: folder).wait()
    }

    /// `update` on the test's model and database, which must succeed.
    @discardableResult
    func update(_ extra: [String] = []) throws -> String {
        let result = try run(["update", "--model", modelPath, "--db", databasePath] + extra)
        XCTAssertEqual(result.status, 0, result.errors)
        return result.output
    }

    /// The model the tests start from.
    var initialModel: SentimentClassifier { Self.bookModel }

    /// A model trained enough to have opinions, small enough (2^16 features) to save in
    /// milliseconds.
    static let bookModel: SentimentClassifier = {
        var classifier = SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 16))
        for round in 0..<3 {
            classifier.partialFit((0..<40).map { review(number: $0 + 40 * round) })
        }
        return classifier
    }()

    static let positiveWords = ["wonderful", "superb", "moving", "brilliant", "delightful", "gripping", "charming"]
    static let negativeWords = ["awful", "dreadful", "tedious", "boring", "clumsy", "bland", "shallow"]

    /// A deterministic review: mostly words of its label, some of the other, a number.
    static func review(number: Int) -> LabeledSample {
        let positive = number % 3 != 0
        let own = positive ? positiveWords : negativeWords
        let other = positive ? negativeWords : positiveWords
        let text = "Review \(number): the \(own[number % 7]) plot, \(own[(number / 7) % 7]) acting, a \(other[(number / 3) % 7]) ending"
        return LabeledSample(text: text, sentiment: positive ? .positive : .negative)
    }

    /// Stores rows as the workers would, in one transaction (one fsync, not one per row).
    func store(_ rows: [(review: String, sentiment: Int)]) throws {
        _ = try FeedbackStore(path: databasePath)
        try DatabaseQueue(path: databasePath).write { db in
            for row in rows {
                try db.execute(
                    sql: "INSERT INTO review_db (review, sentiment, date) VALUES (?, ?, DATETIME('now'))", arguments: [row.review, row.sentiment])
            }
        }
    }

    func storeReviews(_ numbers: Range<Int>) throws {
        try store(numbers.map { (Self.review(number: $0).text, Self.review(number: $0).sentiment.rawValue) })
    }

    /// The one rule, computed here: `file` + every row after its watermark, in id order.
    func live(from file: SentimentClassifier) throws -> SentimentClassifier {
        var model = file
        for row in try FeedbackStore(path: databasePath).rows(after: file.watermark, limit: 1_000_000) { model.fold(row) }
        return model
    }

    func bits(_ classifier: SentimentClassifier) -> [UInt64] {
        let regression = classifier.regression
        // The n-gram variant's file holds every weight exactly (binary32), and its 2^23 columns
        // are too many to expand.
        if classifier.vectorizer.variant == .ngram { return ModelFile.encode(classifier).map(UInt64.init) }
        return regression.weights.map(\.bitPattern) + [
            regression.scale.bitPattern, regression.intercept.bitPattern, regression.samplesSeen, UInt64(classifier.watermark),
        ]
    }

    static let probes = ["a wonderful, moving film", "tedious and bland", "superb acting but a dreadful ending", "Review 17: the plot"]

    func predictions(_ worker: LiveClassifier) throws -> [UInt64] {
        try Self.probes.map { try worker.classify($0).probabilityPositive.bitPattern }
    }

    func backups() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("classifier_") }.sorted()
    }

    /// A mix the rule has to sort out: repeats, a rejected row, invalid labels, blank and
    /// overlong reviews.
    func storeMixedFeedback() throws {
        try storeReviews(0..<30)
        try store([
            (Self.review(number: 3).text, Self.review(number: 3).sentiment.rawValue),
            ("a label the book's script stored", 2),
            ("   ", 1),
            (String(repeating: "long ", count: 4_001), 1),
            (Self.review(number: 4).text, 1 - Self.review(number: 4).sentiment.rawValue),
        ])
        try storeReviews(30..<40)
        XCTAssertEqual(try FeedbackStore(path: databasePath).setRejected(true, ids: [7]).changed, [7])
    }

    func testUpdateLeavesACaughtUpWorkersPredictionsBitIdenticalAndSoDoesARestart() throws {
        try storeMixedFeedback()
        let worker = try LiveClassifier(modelPath: modelPath, store: FeedbackStore(path: databasePath))
        let before = try predictions(worker)
        let weightsBefore = bits(worker.classifier)

        let output = try update()

        XCTAssertTrue(output.contains("rows read: 45 (ids 1 to 45)"), output)
        XCTAssertTrue(output.contains("learned:   40"), output)
        for line in ["1 rejected by an admin", "1 label not 0 or 1", "1 empty review", "1 longer than 20000 characters", "1 repeats an earlier row"] {
            XCTAssertTrue(output.contains(line), output)
        }
        XCTAssertTrue(output.contains("watermark: 0 -> 45"), output)
        let file = try ModelFile.load(from: modelPath)
        XCTAssertEqual(bits(file), weightsBefore, "the file holds the worker's weights")
        XCTAssertEqual(try predictions(worker), before)
        XCTAssertEqual(bits(worker.classifier), weightsBefore, "the worker reloaded the file and replayed nothing")
        let restarted = try LiveClassifier(modelPath: modelPath, store: FeedbackStore(path: databasePath))
        XCTAssertEqual(try predictions(restarted), before)
        XCTAssertEqual(bits(restarted.classifier), weightsBefore)
        XCTAssertNotEqual(bits(initialModel), weightsBefore, "the feedback changed the model")
    }

    func testAnAdminSeesTheHeldRowsAndTheBusiestClientsAndAcceptsAClientsRowsWhichWorkersAndUpdateThenLearnAlike() throws {
        let store = try FeedbackStore(path: databasePath)
        let policy = TrustPolicy(budget: 1, storedLimit: 10)
        for number in 0..<3 {
            let sample = Self.review(number: number)
            _ = try store.insert(
                NewFeedback(review: sample.text, sentiment: sample.sentiment.rawValue, client: "c0ffee", probabilityPositive: 0.5), policy: policy)
        }
        _ = try store.insert(NewFeedback(review: "A brand new film", sentiment: 1, client: "beef", probabilityPositive: 0.5), policy: policy)
        let worker = try LiveClassifier(modelPath: modelPath, store: FeedbackStore(path: databasePath))

        let held = try run(["feedback", "list", "--db", databasePath, "--held"])
        XCTAssertEqual(held.status, 0, held.errors)
        XCTAssertEqual(held.output.split(separator: "\n").map { $0.split(separator: "\t")[0] }, ["2", "3"], held.output)
        XCTAssertTrue(held.output.contains("held: over its client's budget"), held.output)
        let clients = try run(["feedback", "clients", "--db", databasePath])
        XCTAssertEqual(clients.status, 0, clients.errors)
        XCTAssertEqual(
            clients.output.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").prefix(5).joined(separator: " ") },
            [
                "c0ffee 3 1 2 0", "beef 1 1 0 0",
            ])
        _ = try worker.classify("anything")
        XCTAssertEqual(bits(worker.classifier), bits(try live(from: initialModel)))
        var withoutHeld = initialModel
        withoutHeld.learn(Self.review(number: 0).text, sentiment: Self.review(number: 0).sentiment, maximumStep: FeedbackVerdict.maximumStep)
        withoutHeld.learn("A brand new film", sentiment: .positive, maximumStep: FeedbackVerdict.maximumStep)
        withoutHeld.watermark = 4
        XCTAssertEqual(bits(worker.classifier), bits(withoutHeld), "the held rows teach nothing")

        let accepted = try run(["feedback", "accept", "--db", databasePath, "--client", "c0ffee"])
        XCTAssertEqual(accepted.status, 0, accepted.errors)
        XCTAssertTrue(accepted.output.contains("accepted row 2") && accepted.output.contains("accepted row 3"), accepted.output)
        XCTAssertTrue(accepted.output.contains("row 1 was already accepted"), accepted.output)
        _ = try worker.classify("anything")
        let everything = try live(from: initialModel)
        XCTAssertNotEqual(bits(everything), bits(withoutHeld))
        XCTAssertEqual(bits(worker.classifier), bits(everything), "the worker rebuilt with the accepted rows")
        try update()
        XCTAssertEqual(bits(try ModelFile.load(from: modelPath)), bits(everything), "update folds what the workers learned")

        let unknown = try run(["feedback", "reject", "--db", databasePath, "--client", "nobody"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.errors.contains("no feedback from client nobody"), unknown.errors)
    }

    func testARunWithNothingToFoldStillPrunesTheBackupsAKilledRunLeft() throws {
        try storeReviews(0..<20)
        try update(["--keep", "3"])
        // As a run killed after it replaced the model and before it pruned leaves them: the
        // newest is the one it made.
        for second in 1...3 { try ModelFile.save(initialModel, to: folder + "/classifier_20260101-00000\(second).mcm") }
        XCTAssertEqual(try backups().count, 4)

        let output = try update(["--keep", "3"])

        XCTAssertTrue(output.contains("nothing to fold"), output)
        let left = try backups()
        XCTAssertEqual(left.count, 3, "\(left)")
        XCTAssertFalse(left.contains("classifier_20260101-000001.mcm"), "the oldest is deleted: \(left)")
    }

    func testRunningUpdateTwiceFoldsNothingTwice() throws {
        try storeReviews(0..<20)
        try update()
        let once = try ModelFile.load(from: modelPath)

        let again = try update()

        XCTAssertTrue(again.contains("nothing to fold"), again)
        XCTAssertEqual(bits(try ModelFile.load(from: modelPath)), bits(once))
        XCTAssertEqual(try backups().count, 1, "no second backup when nothing changed")
        try storeReviews(20..<25)
        try update()
        XCTAssertEqual(bits(try ModelFile.load(from: modelPath)), bits(try live(from: initialModel)))
    }

    func testRowsStoredDuringAnUpdateAreFoldedByTheNextRunNoneLostNoneDoubled() throws {
        try storeReviews(0..<3_000)
        let running = try SpawnedProgram(executable, ["update", "--model", modelPath, "--db", databasePath, "--batch-size", "100"], in: folder)
        let writer = try FeedbackStore(path: databasePath)
        for number in 3_000..<3_040 {
            try writer.insert(review: Self.review(number: number).text, sentiment: Self.review(number: number).sentiment.rawValue)
        }
        let first = running.wait()
        XCTAssertEqual(first.status, 0, first.errors)
        XCTAssertGreaterThanOrEqual(try ModelFile.load(from: modelPath).watermark, 3_000)

        try update()

        let file = try ModelFile.load(from: modelPath)
        XCTAssertEqual(file.watermark, 3_040)
        XCTAssertEqual(bits(file), bits(try live(from: initialModel)))
    }

    /// Kills `update` with SIGKILL after a random delay, again and again: the model file must
    /// load every time and be the old model or the new one, and the next run must finish the
    /// work. UPDATE_KILL_ITERATIONS sets the count (CI: the default).
    func testKilledAtRandomPointsTheModelIsOldOrNewAndTheNextRunCompletes() throws {
        let iterations = ProcessInfo.processInfo.environment["UPDATE_KILL_ITERATIONS"].flatMap(Int.init) ?? 12
        try storeReviews(0..<2_000)
        let old = bits(initialModel)
        let new = bits(try live(from: initialModel))
        let started = ContinuousClock.now
        try update(["--keep", "3"])
        let fullRun = ContinuousClock.now - started
        XCTAssertEqual(bits(try ModelFile.load(from: modelPath)), new)

        var generator = SystemRandomNumberGenerator()
        var outcomes = (old: 0, new: 0)
        for _ in 0..<iterations {
            try ModelFile.save(initialModel, to: modelPath)
            let delay = Duration.nanoseconds(Int64.random(in: 0...(fullRun.nanoseconds * 12 / 10), using: &generator))
            let running = try SpawnedProgram(executable, ["update", "--model", modelPath, "--db", databasePath, "--keep", "3"], in: folder)
            try? Task.checkCancellation()
            usleep(UInt32(delay.nanoseconds / 1_000))
            kill(running.pid, SIGKILL)
            _ = running.wait()

            let found = bits(try ModelFile.load(from: modelPath))
            XCTAssertTrue(found == old || found == new, "after a kill at \(delay) the model is neither the old nor the new one")
            if found == old { outcomes.old += 1 } else { outcomes.new += 1 }
            try update(["--keep", "3"])
            XCTAssertEqual(bits(try ModelFile.load(from: modelPath)), new)
        }
        XCTAssertEqual(try backups().count, 3)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "the next run removes what a killed one left")
        print("killed \(iterations) updates: \(outcomes.old) left the old model, \(outcomes.new) the new one")
    }

    func testARejectionWhileTheUpdateRunsStopsItBeforeTheModelIsReplaced() throws {
        try storeReviews(0..<50)
        let original = try Data(contentsOf: URL(fileURLWithPath: modelPath))
        // Holding the write lock keeps the update from replacing the model; its backup shows
        // that it has read the feedback and waits for the lock.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let admin = try DatabaseQueue(path: databasePath, configuration: configuration)
        // A commit first, as live workers make them: GRDB opens the update's pool without
        // writing only when the write-ahead log is not empty.
        try admin.inDatabase { try $0.execute(sql: "CREATE TABLE warm_up (x); DROP TABLE warm_up; BEGIN IMMEDIATE") }
        let running = try SpawnedProgram(executable, ["update", "--model", modelPath, "--db", databasePath], in: folder)
        let deadline = Date().addingTimeInterval(20)
        while try backups().isEmpty && Date() < deadline { usleep(5_000) }
        XCTAssertEqual(try backups().count, 1, "the update made its backup and waits for the lock")
        try admin.inDatabase { db in
            // What `feedback reject 3` commits.
            try db.execute(sql: "UPDATE review_db SET rejected = 1 WHERE id = 3; UPDATE feedback_generation SET generation = generation + 1; COMMIT")
        }

        let result = running.wait()

        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.errors.contains("\(databasePath): feedback was rejected or accepted while the update ran"), result.errors)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: modelPath)), original)
        XCTAssertEqual(try backups(), [], "the backup of an update that replaced nothing is removed")
        try update()
        XCTAssertEqual(bits(try ModelFile.load(from: modelPath)), bits(try live(from: initialModel)), "the next run folds without row 3")
    }

    func testRollbackThenReplayGivesBackTheSameLiveModel() throws {
        try storeReviews(0..<20)
        let worker = try LiveClassifier(modelPath: modelPath, store: FeedbackStore(path: databasePath))
        try update()
        try storeReviews(20..<30)
        try update()
        let before = try predictions(worker)
        let weights = bits(worker.classifier)
        XCTAssertEqual(try ModelFile.load(from: modelPath).watermark, 30)

        let result = try run(["rollback", "--model", modelPath])

        XCTAssertEqual(result.status, 0, result.errors)
        XCTAssertTrue(result.output.contains("(watermark 20)"), result.output)
        XCTAssertEqual(try ModelFile.load(from: modelPath).watermark, 20)
        XCTAssertEqual(try predictions(worker), before)
        XCTAssertEqual(bits(worker.classifier), weights, "the worker replayed rows 21 to 30")
        let further = try run(["rollback", "--model", modelPath])
        XCTAssertEqual(further.status, 0, further.errors)
        XCTAssertEqual(try ModelFile.load(from: modelPath).watermark, 0, "a second rollback goes further back, not forward again")
        XCTAssertEqual(try predictions(worker), before)
        XCTAssertEqual(bits(try LiveClassifier(modelPath: modelPath, store: FeedbackStore(path: databasePath)).classifier), weights)
    }

    func testRejectThenRollbackTakesAFoldedRowOutOfTheLiveModel() throws {
        try storeReviews(0..<20)
        try update()
        let worker = try LiveClassifier(modelPath: modelPath, store: FeedbackStore(path: databasePath))
        let backup = try XCTUnwrap(backups().first)

        let rejected = try run(["feedback", "reject", "--db", databasePath, "--model", modelPath, "5"])

        XCTAssertEqual(rejected.status, 0, rejected.errors)
        XCTAssertTrue(rejected.output.contains("rejected row 5"), rejected.output)
        XCTAssertTrue(
            rejected.output.contains("note: \(modelPath) already holds row 5 (watermark 20) and keeps what it learned from it.\n"), rejected.output)
        XCTAssertTrue(
            rejected.output.contains(
                "To take it out, roll back to a backup from before row 5: movieclassifier rollback --model \(modelPath) --to \(folder)/\(backup)\n"),
            rejected.output)
        let rolledBack = try run(["rollback", "--model", modelPath, "--to", "\(folder)/\(backup)"])
        XCTAssertEqual(rolledBack.status, 0, rolledBack.errors)
        _ = try worker.classify("anything")
        let withoutRow5 = try live(from: initialModel)
        XCTAssertEqual(bits(worker.classifier), bits(withoutRow5))
        var withRow5 = initialModel
        for number in 0..<20 {
            withRow5.learn(
                Self.review(number: number).text, sentiment: Self.review(number: number).sentiment, maximumStep: FeedbackVerdict.maximumStep)
        }
        withRow5.watermark = 20
        XCTAssertNotEqual(bits(withoutRow5), bits(withRow5))
        try update()
        XCTAssertEqual(bits(try ModelFile.load(from: modelPath)), bits(withoutRow5))
    }

    func testDryRunChangesNothingAndCountsWhereTheModelWasWrong() throws {
        try storeMixedFeedback()
        let original = try Data(contentsOf: URL(fileURLWithPath: modelPath))
        var model = initialModel
        var wrong = 0
        for row in try FeedbackStore(path: databasePath).rows(after: 0, limit: 100) {
            if case .learn(let sample) = FeedbackVerdict(row), model.classify(sample.text).sentiment != sample.sentiment { wrong += 1 }
            model.fold(row)
        }
        XCTAssertGreaterThan(wrong, 0, "the feedback disagrees with the model somewhere, so the count can be wrong")

        let output = try update(["--dry-run"])

        XCTAssertTrue(output.contains("dry run: \(modelPath) is unchanged"), output)
        XCTAssertTrue(output.contains("learned:   40"), output)
        XCTAssertTrue(output.contains("watermark: 0 -> 45"), output)
        XCTAssertTrue(output.contains("the model was wrong, as the visitors said, on \(wrong) of the 40 rows learned"), output)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: modelPath)), original)
        XCTAssertEqual(try backups(), [])
    }

    func testBackupsAreNamedByUTCTimeUniqueWithinASecondAndOnlyTheNewestKept() throws {
        for round in 0..<4 {
            try storeReviews(round * 5..<(round * 5 + 5))
            let output = try update(["--keep", "2"])
            XCTAssertTrue(output.contains("backup:    \(folder)/classifier_"), output)
        }
        let names = try backups()
        XCTAssertEqual(names.count, 2)
        let pattern = try NSRegularExpression(pattern: "^classifier_(\\d{8}-\\d{6})(-\\d+)?\\.mcm$")
        for name in names {
            let match = try XCTUnwrap(pattern.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)), name)
            let stamp = String(name[Range(match.range(at: 1), in: name)!])
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            let date = try XCTUnwrap(formatter.date(from: stamp))
            XCTAssertLessThan(abs(date.timeIntervalSinceNow), 120, "\(stamp) is the current UTC time")
        }
        let watermarks = try names.map { try ModelFile.load(from: "\(folder)/\($0)").watermark }.sorted()
        XCTAssertEqual(watermarks, [10, 15], "the two newest: the models before the last two updates")
    }

    func testTheBooksOwnDatabaseIsMigratedInPlaceAndFolded() throws {
        let book = try DatabaseQueue(path: databasePath)
        try book.write { db in
            try db.execute(sql: "CREATE TABLE review_db (review TEXT, sentiment INTEGER, date TEXT)")
            for number in 0..<10 {
                try db.execute(
                    sql: "INSERT INTO review_db (review, sentiment, date) VALUES (?, ?, DATETIME('now'))",
                    arguments: [Self.review(number: number).text, Self.review(number: number).sentiment.rawValue])
            }
        }
        try book.close()

        let output = try update()

        XCTAssertTrue(output.contains("rows read: 10"), output)
        var expected = initialModel
        for number in 0..<10 {
            expected.learn(
                Self.review(number: number).text, sentiment: Self.review(number: number).sentiment, maximumStep: FeedbackVerdict.maximumStep)
        }
        expected.watermark = 10
        XCTAssertEqual(bits(try ModelFile.load(from: modelPath)), bits(expected))
        try DatabaseQueue(path: databasePath).write { db in
            // The book's app.py still stores its feedback.
            try db.execute(
                sql: "INSERT INTO review_db (review, sentiment, date) VALUES (?, ?, DATETIME('now'))", arguments: ["from the book's app", 1])
        }
        XCTAssertTrue(try update().contains("rows read: 1 (ids 11 to 11)"))
    }

    func testACorruptModelFileIsRefusedNamingItAndNothingIsWritten() throws {
        try storeReviews(0..<5)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: modelPath))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: modelPath))

        let result = try run(["update", "--model", modelPath, "--db", databasePath])

        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.errors.contains("\(modelPath): corrupt: the checksum does not match"), result.errors)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: modelPath)), bytes)
        XCTAssertEqual(try backups(), [])
    }

    func testAMissingDatabaseIsRefusedAndNotCreated() throws {
        let missing = folder + "/typo.sqlite"
        let original = try Data(contentsOf: URL(fileURLWithPath: modelPath))

        let result = try run(["update", "--model", modelPath, "--db", missing])

        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.errors.contains("\(missing): no such feedback database"), result.errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: modelPath)), original)
    }

    func testADatabaseFromANewerSchemaIsRefusedAndNothingIsWritten() throws {
        try storeReviews(0..<5)
        try DatabaseQueue(path: databasePath).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999: from the future')")
        }
        let original = try Data(contentsOf: URL(fileURLWithPath: modelPath))

        let result = try run(["update", "--model", modelPath, "--db", databasePath])

        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(
            result.errors.contains("upgraded by a newer movieclassifier (migrations unknown to this build: v999: from the future)"), result.errors)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: modelPath)), original)
        XCTAssertEqual(try backups(), [])
    }

    func testRollbackRestoresAModelFileThatNoLongerLoads() throws {
        try storeReviews(0..<5)
        try update()
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: modelPath))

        let result = try run(["rollback", "--model", modelPath])

        XCTAssertEqual(result.status, 0, result.errors)
        XCTAssertEqual(bits(try ModelFile.load(from: modelPath)), bits(initialModel))
        XCTAssertTrue(result.output.contains("the replaced model was missing or did not load"), result.output)
    }

    func testFeedbackListShowRejectAcceptAndExport() throws {
        try store([("Great, \"really\" great\nfilm", 1), ("dull", 0), ("dull", 0), ("odd", 5)])

        let list = try run(["feedback", "list", "--db", databasePath])
        XCTAssertEqual(list.status, 0, list.errors)
        XCTAssertEqual(
            list.output.split(separator: "\n").map {
                $0.split(separator: "\t").enumerated().filter { $0.offset != 1 }.map(\.element).joined(separator: "|")
            },
            [
                "1|positive|counts|Great, \"really\" great film",
                "2|negative|counts|dull",
                "3|negative|repeats row 2|dull",
                "4|label 5|label not 0 or 1|odd",
            ])
        let rejected = try run(["feedback", "reject", "--db", databasePath, "2"])
        XCTAssertEqual(rejected.output, "rejected row 2\nlive workers rebuild their model (model file + the rows that count) at their next request\n")
        XCTAssertEqual(try run(["feedback", "list", "--db", databasePath, "--rejected"]).output.split(separator: "\t").first, "2")
        let show = try run(["feedback", "show", "--db", databasePath, "--model", modelPath, "3"])
        XCTAssertTrue(show.output.contains("status:   repeats row 2\n"), show.output)
        XCTAssertTrue(show.output.contains("not yet folded into \(modelPath) (watermark 0)"), show.output)
        XCTAssertTrue(show.output.hasSuffix("review:\ndull\n"), show.output)

        let pending = try run(["feedback", "list", "--db", databasePath, "--pending", "--model", modelPath, "--limit", "2"])
        XCTAssertEqual(pending.output.split(separator: "\n").count, 3, pending.output)
        XCTAssertTrue(pending.output.hasSuffix("… more after id 2: --after 2\n"), pending.output)

        XCTAssertEqual(try run(["feedback", "export", "--db", databasePath]).output, "review,sentiment\n\"Great, \"\"really\"\" great\nfilm\",1\n")
        XCTAssertEqual(
            try run(["feedback", "export", "--db", databasePath, "--all"]).output,
            "review,sentiment\n\"Great, \"\"really\"\" great\nfilm\",1\ndull,0\ndull,0\nodd,5\n")
        let accepted = try run(["feedback", "accept", "--db", databasePath, "2", "1"])
        XCTAssertEqual(
            accepted.output,
            "accepted row 2\nrow 1 was already accepted\nlive workers rebuild their model (model file + the rows that count) at their next request\n")

        let unknown = try run(["feedback", "reject", "--db", databasePath, "1", "99"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.errors.contains("no feedback row 99; nothing was changed"), unknown.errors)
        XCTAssertFalse(try XCTUnwrap(FeedbackStore(path: databasePath).row(id: 1)).rejected)
    }

    func testTheExportReadsBackAsTheBooksCSV() throws {
        let reviews = ["plain words", "a comma, inside", "a \"quote\"", "two\nlines", "crlf\r\nend", "  spaces  "]
        try store(reviews.map { ($0, 1) })
        let csv = folder + "/export.csv"
        let output = try run(["feedback", "export", "--db", databasePath]).output
        try output.write(toFile: csv, atomically: true, encoding: .utf8)

        let trained = try run(["train", "--variant", "book", "--data", csv, "--out", folder + "/fromexport.mcm", "--test-size", "0", "--no-shuffle"])

        XCTAssertEqual(trained.status, 0, trained.errors)
        XCTAssertTrue(trained.output.contains("trained on 6 reviews"), trained.output)
    }
}
