import FeedbackStore
import Foundation
import GRDB
import Glibc
import SentimentModel
import Synchronization
import TestSupport
import XCTest

/// The fault matrix: real nginx, workers and SQLite on 127.0.0.1, and one fault each: workers
/// killed or hung, the disk full, the write lock held, a corrupt model renamed into place,
/// nginx reloaded and restarted, the master killed. Each case is bounded in time; together
/// they show that no fault takes the site down, loses an acknowledged feedback or corrupts
/// the database.
final class FaultTests: XCTestCase {
    var stack: Stack?
    /// File systems a test mounted, unmounted at the end.
    var mounts: [String] = []

    override func tearDown() {
        stack?.stop()
        stack = nil
        for mount in mounts { umount2(mount, Int32(MNT_DETACH)) }
        mounts = []
    }

    /// The stored rows: every acknowledged feedback is there exactly once, nothing else is, and
    /// the database is sound. `unacknowledgedAtMost` bounds the rows stored whose answer was lost.
    func assertStoredExactlyOnce(_ load: LoadRecord, database: String, unacknowledgedAtMost: Int, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let rows = try FeedbackStore(path: database).rows(after: 0, limit: 1_000_000)
        let stored = Set(rows.map(\.review))
        XCTAssertTrue(
            load.acknowledged.isSubset(of: stored), "acknowledged but lost: \(load.acknowledged.subtracting(stored))", file: file, line: line)
        XCTAssertTrue(stored.isSubset(of: load.sent), "rows nobody sent: \(stored.subtracting(load.sent).prefix(3))", file: file, line: line)
        XCTAssertEqual(rows.count, stored.count, "each feedback stored once", file: file, line: line)
        XCTAssertLessThanOrEqual(stored.count - load.acknowledged.count, unacknowledgedAtMost, file: file, line: line)
        let integrity = try DatabaseQueue(path: database).read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, ["ok"], file: file, line: line)
    }

    // MARK: Workers killed

    func testKillingARandomWorkerEvery100To300MillisecondsNeverStopsThePoolAndLosesNoFeedback() throws {
        // The README's ./run.sh defaults on this machine (two workers), but for the trust rules:
        // the four clients stand for many visitors, and all their feedback is stored.
        let stack = try Stack(workers: 2, arguments: Stack.manyVisitors)
        self.stack = stack
        let master = try XCTUnwrap(stack.responderPID)
        var kills: [Date] = []
        let clients = 4
        let load = try feedbackLoad(stack, clients: clients, seconds: 10.5) {
            let end = Date().addingTimeInterval(10)
            while Date() < end {
                usleep(useconds_t.random(in: 100_000...300_000))
                guard let victim = try stack.workers().keys.randomElement() else { continue }
                kill(victim, SIGKILL)
                kills.append(Date())
            }
        }
        let failures = load.outcomes.filter { $0.status != 200 }
        print(
            "fault figures: \(kills.count) kills, \(load.outcomes.count) requests, \(failures.count) failed "
                + "(statuses \(Set(failures.map(\.status)).sorted())), feedback sent \(load.sent.count), "
                + "acknowledged \(load.acknowledged.count)"
        )
        XCTAssertEqual(stack.responderPID, master)
        XCTAssertNil(stack.waitForResponderExit(timeout: 0), "the master never stops: \(stack.responderLog.suffix(2_000))")
        XCTAssertGreaterThanOrEqual(kills.count, 30, "workers were killed")
        XCTAssertGreaterThan(load.outcomes.count, 200, "the load ran")
        XCTAssertGreaterThanOrEqual(Double(load.outcomes.count - failures.count), 0.95 * Double(load.outcomes.count), "95% answered 200")
        // nginx keeps no connection to a worker between requests, and a worker holds only the
        // request it serves and the feedback answers waiting for its log's sync (SyncedAnswers):
        // a kill fails only requests in flight when it was sent (one of each client at most),
        // which nginx answers with 502.
        let slack = 0.05
        let unexplained = failures.filter { failure in
            let inFlight = failure.began.addingTimeInterval(-slack)...failure.began.addingTimeInterval(failure.seconds + slack)
            return !kills.contains(where: inFlight.contains)
        }
        XCTAssertTrue(unexplained.isEmpty, "failed with no kill while in flight: \(unexplained.prefix(3))")
        XCTAssertTrue(failures.allSatisfy { $0.status == 502 }, "statuses: \(Set(failures.map(\.status)))")
        XCTAssertFalse(stack.responderLog.contains("while serving"), "no worker crashed: \(stack.responderLog.suffix(2_000))")
        try Stack.waitFor("2 workers again") { try stack.workers().count == 2 }
        XCTAssertEqual(try HTTP.get(stack.url("/")).status, 200)
        // Rows stored but not acknowledged: feedback whose worker was killed after its commit,
        // at most one of each client per kill.
        try assertStoredExactlyOnce(load, database: stack.database, unacknowledgedAtMost: clients * kills.count)
        XCTAssertTrue(stack.responderLog.contains("was killed by signal 9"), stack.responderLog)
        XCTAssertFalse(stack.responderLog.contains("could not start"), "a killed worker is no failed start")
    }

    func testWorkersStartedAfterAKillTakeUpTheResumePointAndAnswerAsTheWorkersBeforeThem() throws {
        // Rows pending since the model file, as the book's scripts insert them: every worker
        // that starts would fold them all.
        let folder = try ScratchFolder("resume-point").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = folder + "/feedback.sqlite"
        _ = try FeedbackStore(path: database)
        let pending = 10_500
        try DatabaseQueue(path: database).write { db in
            for index in 1...pending {
                try db.execute(
                    sql: "INSERT INTO review_db (review, sentiment, date) VALUES (?, ?, DATETIME('now'))",
                    arguments: ["review \(index): \(index % 2 == 0 ? "a wonderful film" : "a dreadful plot")", index % 2 == 0 ? 1 : 0])
            }
        }
        let stack = try Stack(workers: 2, database: database)
        self.stack = stack
        let review = #"{"instances": ["a wonderful film with a dreadful plot"]}"#
        let before = try HTTP.post(stack.url("/v1/models/sentiment:predict"), body: Data(review.utf8), contentType: "application/json")
        XCTAssertEqual(before.status, 200, before.body)

        // The first workers passed row 10,000 as they folded the rows at their start.
        let point = try Data(contentsOf: URL(fileURLWithPath: database + "-resume"))
        XCTAssertEqual(String(decoding: point.prefix(8), as: UTF8.self), "MCRESUME")
        XCTAssertEqual(point[24..<32].withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }, 10_000)
        XCTAssertEqual(
            point[8..<12].withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) },
            ModelFile.storedChecksum(atPath: stack.modelPath), "saved from the model file the workers were given")

        let first = try stack.workers().keys
        for worker in first { kill(worker, SIGKILL) }
        try Stack.waitFor("2 new workers") { try Set(stack.workers().keys).isDisjoint(with: first) && stack.workers().count == 2 }
        for _ in 0..<4 {
            let after = try HTTP.post(stack.url("/v1/models/sentiment:predict"), body: Data(review.utf8), contentType: "application/json")
            XCTAssertEqual(after.status, 200, after.body)
            XCTAssertEqual(after.body, before.body, "the same model version and prediction, bit for bit")
        }
        XCTAssertTrue(before.body.contains(#".\#(pending)""#), "every row folded: \(before.body)")
    }

    func testAStoppedWorkerHasItsRequestCutOffAndIsReplacedWhileTheOtherServes() throws {
        let stack = try Stack(workers: 2, arguments: ["--request-timeout", "1"], environment: ["MOVIECLASSIFIER_TEST_SLOW_PATH=/slow"])
        self.stack = stack
        try Stack.waitFor("two workers") { try stack.workers().count == 2 }
        let before = Set(try stack.workers().keys)
        // A request that a worker holds for 0.6 s, within the timeout; the worker is stopped
        // while it holds it, as a hung process would be.
        let held = Mutex<HTTPResult?>(nil)
        let heldDone = DispatchSemaphore(value: 0)
        let slowURL = stack.url("/slow?seconds=0.6")
        Thread {
            held.withLock { $0 = try? HTTP.get(slowURL) }
            heldDone.signal()
        }.start()
        var busy: pid_t?
        try Stack.waitFor("a worker sleeping in the slow request") {
            busy = before.first { (try? String(contentsOfFile: "/proc/\($0)/wchan", encoding: .utf8)) == "hrtimer_nanosleep" }
            return busy != nil
        }
        let hung = try XCTUnwrap(busy)
        kill(hung, SIGSTOP)
        let started = Date()
        var others: [Int] = []
        while Date().timeIntervalSince(started) < 2.5 {
            others.append((try? HTTP.post(stack.url("/results"), form: [("review", "A fine film, \(others.count).")]))?.status ?? 0)
        }
        heldDone.wait()
        XCTAssertEqual(held.withLock { $0?.status }, 502, "the stopped worker's request was cut off")
        XCTAssertTrue(others.allSatisfy { $0 == 200 }, "the other worker served: \(Set(others))")
        XCTAssertGreaterThan(others.count, 10)
        let after = try Stack.waitFor(
            "a replacement",
            returning: { () throws -> Set<pid_t>? in
                let now = Set(try stack.workers().keys)
                return now.count == 2 && !now.contains(hung) ? now : nil
            })
        XCTAssertEqual(after.intersection(before).count, 1, "only the hung worker was replaced")
        XCTAssertTrue(stack.responderLog.contains("past --request-timeout"), stack.responderLog)
    }

    // MARK: Storage

    /// Mounts a tmpfs of `megabytes` at a new folder and returns the folder.
    func smallDisk(megabytes: Int) throws -> String {
        let folder = try ScratchFolder("movieclassifier-disk").path
        guard mount("tmpfs", folder, "tmpfs", 0, "size=\(megabytes)m,mode=0777") == 0 else {
            throw StackError.setup("cannot mount a tmpfs at \(folder): \(String(cString: strerror(errno))) (the fault tests run as root)")
        }
        mounts.append(folder)
        return folder
    }

    /// Writes a file at `path` until the file system has no space left; returns its size.
    @discardableResult
    func fillDisk(with path: String) throws -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw StackError.setup("cannot create \(path)") }
        defer { close(fd) }
        let block = [UInt8](repeating: 0x55, count: 4096)
        var written = 0
        while true {
            let count = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            written += count
        }
        guard errno == ENOSPC else { throw StackError.setup("filling \(path) stopped with \(String(cString: strerror(errno)))") }
        return written
    }

    func testAFullDiskAnswersFeedbackWith503AndStoresNothingUntilSpaceIsFreed() throws {
        // Room for the database and a whole WAL (SQLite checkpoints it at about 4 MB) once freed.
        let disk = try smallDisk(megabytes: 16)
        let stack = try Stack(workers: 2, database: disk + "/feedback.sqlite", arguments: Stack.manyVisitors)
        self.stack = stack
        try fillDisk(with: disk + "/filler")

        var full = LoadRecord()
        let whileFull = feedbackLoad(stack, clients: 2, seconds: 2, reviewPadding: 100) {}
        full.add(whileFull)
        let thanks = whileFull.statuses("/thanks")
        print(
            "full disk: /thanks statuses \(Dictionary(grouping: thanks, by: { $0 }).mapValues(\.count)), /results \(Set(whileFull.statuses("/results")))"
        )
        XCTAssertTrue(thanks.contains(503), "feedback refused while the disk is full: \(Set(thanks))")
        XCTAssertTrue(Set(thanks).isSubset(of: [200, 503]), "\(Set(thanks))")
        XCTAssertTrue(whileFull.statuses("/results").allSatisfy { $0 == 200 }, "classifying goes on: \(Set(whileFull.statuses("/results")))")
        let page = try HTTP.post(stack.url("/results"), form: [("review", "One more fine film, to thank for.")])
        let refused = try HTTP.post(stack.url("/thanks"), form: HiddenFields.of(page.body) + [("feedback_button", "Correct")])
        XCTAssertEqual(refused.status, 503)
        XCTAssertTrue(refused.body.contains("Feedback not saved"), refused.body)

        XCTAssertEqual(unlink(disk + "/filler"), 0)
        let afterwards = feedbackLoad(stack, clients: 2, seconds: 1) {}
        XCTAssertTrue(
            afterwards.outcomes.allSatisfy { $0.status == 200 },
            "feedback works again with no restart: \(Set(afterwards.outcomes.map(\.status))) \(stack.responderLog.suffix(1_500))")
        XCTAssertFalse(afterwards.acknowledged.isEmpty)
        full.add(afterwards)
        try assertStoredExactlyOnce(full, database: stack.database, unacknowledgedAtMost: 0)
        XCTAssertTrue(stack.responderLog.contains("cannot record feedback"), stack.responderLog)
        XCTAssertFalse(stack.responderLog.contains("could not start") || stack.responderLog.contains("was killed"), stack.responderLog)
    }

    func testAnAdminHoldingTheWriteLockGetsFeedbackA503AfterTheBusyTimeoutWhileResultsServe() throws {
        let stack = try Stack(workers: 2)
        self.stack = stack
        let page = try HTTP.post(stack.url("/results"), form: [("review", "A film I will remember, locked or not.")])
        let admin = try DatabaseQueue(path: stack.database)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), released = DispatchSemaphore(value: 0)
        Thread {
            // An admin's sqlite3 shell in `BEGIN IMMEDIATE`, held past the workers' busy timeout.
            try? admin.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
            released.signal()
        }.start()
        locked.wait()
        let feedbackAnswer = Mutex<(status: Int, seconds: Double)?>(nil)
        let feedbackDone = DispatchSemaphore(value: 0)
        let thanksURL = stack.url("/thanks"), fields = HiddenFields.of(page.body) + [("feedback_button", "Correct")]
        Thread {
            let started = Date()
            let status = (try? HTTP.post(thanksURL, form: fields))?.status ?? 0
            feedbackAnswer.withLock { $0 = (status, Date().timeIntervalSince(started)) }
            feedbackDone.signal()
        }.start()
        // Classifying until the feedback is answered, for at most twice the busy timeout: a
        // count would bound nothing on a machine fast enough to reach it before the timeout.
        var results: [Int] = []
        var answered = false
        let giveUp = Date().addingTimeInterval(10)
        while Date() < giveUp {
            answered = feedbackDone.wait(timeout: .now()) == .success
            if answered { break }
            results.append((try? HTTP.post(stack.url("/results"), form: [("review", "Still classifying \(results.count).")]))?.status ?? 0)
        }
        release.signal()
        released.wait()
        if !answered { _ = feedbackDone.wait(timeout: .now() + 10) }
        let answer = try XCTUnwrap(feedbackAnswer.withLock { $0 })
        print("write lock held: /thanks \(answer.status) after \(answer.seconds) s, \(results.count) /results meanwhile")
        XCTAssertEqual(answer.status, 503)
        XCTAssertGreaterThanOrEqual(answer.seconds, 4.5, "after the busy timeout (5 s)")
        XCTAssertLessThan(answer.seconds, 10, "never hangs")
        XCTAssertTrue(results.allSatisfy { $0 == 200 }, "\(Set(results))")
        XCTAssertGreaterThan(results.count, 10, "the other worker served meanwhile")
        XCTAssertEqual(try HTTP.post(thanksURL, form: fields).status, 200, "the lock released, feedback works")
        XCTAssertEqual(try FeedbackStore(path: stack.database).rows(after: 0, limit: 10).count, 1)
    }

    // MARK: The model file

    func testACorruptModelRenamedIntoPlaceLeavesTheWorkersServingTheModelTheyHoldUntilAGoodOne() throws {
        let folder = try ScratchFolder("movieclassifier-model").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = folder + "/classifier.mcm"
        try FileManager.default.copyItem(atPath: Stack.repository + "/model/classifier.mcm", toPath: model)
        let stack = try Stack(workers: 2, model: model)
        self.stack = stack
        let review = "An instant classic, moving and funny, with a cast at the top of its game."
        let before = try HTTP.post(stack.url("/results"), form: [("review", review)])
        let verdict = try XCTUnwrap(before.body.firstMatch(of: #/<span class="percent">[^<]+</span>/#).map { String($0.output) }, before.body)

        // As `update` would, but with garbage: a new file renamed over the old one.
        let truncated = try Data(contentsOf: URL(fileURLWithPath: model)).prefix(1_000)
        try truncated.write(to: URL(fileURLWithPath: model + ".new"))
        XCTAssertEqual(rename(model + ".new", model), 0)
        // Put in place by hand, the file moves no change counter: the workers see it at their next
        // full check, at most a second after their last (`LiveClassifier.defaultFullCheckInterval`).
        usleep(1_100_000)
        var pages: [HTTPResult] = []
        for _ in 0..<20 { pages.append(try HTTP.post(stack.url("/results"), form: [("review", review)])) }
        XCTAssertTrue(pages.allSatisfy { $0.status == 200 }, "\(Set(pages.map(\.status)))")
        XCTAssertTrue(pages.allSatisfy { $0.body.contains(verdict) }, "the model held: \(verdict)")
        let page = try XCTUnwrap(pages.last)
        XCTAssertEqual(try HTTP.post(stack.url("/thanks"), form: HiddenFields.of(page.body) + [("feedback_button", "Correct")]).status, 200)

        let problems = stack.responderLog.components(separatedBy: "\n").filter { $0.contains("cannot be loaded") }
        XCTAssertGreaterThanOrEqual(problems.count, 1, stack.responderLog)
        XCTAssertLessThanOrEqual(problems.count, 2, "once per worker, not per request: \(problems)")
        let problem = try XCTUnwrap(problems.first, stack.responderLog)
        XCTAssertTrue(problem.contains(model), problem)
        let report = try statusReport(stack)
        XCTAssertTrue(report.contains("problem=\"the model file was replaced by one that cannot be loaded"), report)

        // A good file renamed into place is picked up.
        try FileManager.default.copyItem(atPath: Stack.repository + "/model/classifier.mcm", toPath: model + ".good")
        XCTAssertEqual(rename(model + ".good", model), 0)
        for _ in 0..<10 { XCTAssertEqual(try HTTP.post(stack.url("/results"), form: [("review", review)]).status, 200) }
        // Each worker clears its note at its next request: keep asking, several requests at once
        // (one at a time, an idle pool may hand every one to the same worker), until both have
        // served one.
        try Stack.waitFor("the problem to clear from the report") {
            let answered = Mutex<[Int]>([])
            let url = stack.url("/results")
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                let status = (try? HTTP.post(url, form: [("review", review)]).status) ?? 0
                answered.withLock { $0.append(status) }
            }
            XCTAssertEqual(answered.withLock { $0 }, [200, 200, 200, 200])
            return try !statusReport(stack).contains("problem=")
        }
        XCTAssertTrue(stack.responderLog.contains("the model file loads again"), stack.responderLog)
    }

    /// Sends SIGUSR1 and returns the report it writes to the log (in one piece).
    func statusReport(_ stack: Stack) throws -> String {
        let before = stack.responderLog.utf8.count
        kill(try XCTUnwrap(stack.responderPID), SIGUSR1)
        var report = ""
        try Stack.waitFor("the status report") {
            report = String(decoding: stack.responderLog.utf8.dropFirst(before), as: UTF8.self)
            return report.contains("feedback_pending=") && report.hasSuffix("\n")
        }
        return report
    }

    // MARK: nginx and the master

    func testReloadingAndRestartingNginxUnderLoadCostsThePoolNoWorker() throws {
        let stack = try Stack(workers: 2, arguments: Stack.manyVisitors)
        self.stack = stack
        try Stack.waitFor("two workers") { try stack.workers().count == 2 }
        let workers = Set(try stack.workers().keys)
        var restartedAt: (down: Date, up: Date)?
        let load = try feedbackLoad(stack, clients: 3, seconds: 4, feedbackEvery: 3) {
            usleep(700_000)
            kill(try XCTUnwrap(stack.nginxPID), SIGHUP)
            usleep(1_000_000)
            let down = Date()
            stack.stopNginx()
            try stack.startNginx()
            restartedAt = (down, Date())
        }
        let (down, up) = try XCTUnwrap(restartedAt)
        // A connection still in nginx's backlog when it stops is refused with it: the window of
        // the restart opens a little before the stop.
        let outsideRestart = load.outcomes.filter { $0.began < down.addingTimeInterval(-0.1) || $0.began > up.addingTimeInterval(0.2) }
        let failed = outsideRestart.filter { $0.status != 200 }
        XCTAssertTrue(
            failed.isEmpty,
            "a reload fails nothing: \(failed.map { "\($0.status) at \($0.began.timeIntervalSince(down)) s from the stop" })")
        XCTAssertTrue(load.outcomes.filter { $0.began > up.addingTimeInterval(0.2) }.count > 10, "served after the restart")
        XCTAssertEqual(Set(try stack.workers().keys), workers, "the pool did not notice")
        XCTAssertFalse(stack.responderLog.contains("error"), stack.responderLog)
        try assertStoredExactlyOnce(load, database: stack.database, unacknowledgedAtMost: 0)
    }

    func testAfterTheMasterIsKilledItsWorkersExitAndANewMasterStartsOnTheSameSocket() throws {
        let stack = try Stack(workers: 2)
        self.stack = stack
        try Stack.waitFor("two workers") { try stack.workers().count == 2 }
        let workers = Set(try stack.workers().keys)
        let master = try XCTUnwrap(stack.responderPID)
        kill(master, SIGKILL)
        stack.forgetResponder()
        try Stack.waitFor("the workers to exit with their master", timeout: 10) {
            workers.allSatisfy { kill($0, 0) != 0 || (try? String(contentsOfFile: "/proc/\($0)/stat", encoding: .utf8))?.contains(") Z") == true }
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: stack.folder + "/fcgi.sock"), "the stale socket file is left")
        XCTAssertEqual(try HTTP.get(stack.url("/")).status, 502, "nginx finds nobody")

        try stack.startResponderAgain()
        try Stack.waitFor("the new pool to answer") { (try? HTTP.get(stack.url("/")).status) == 200 }
        XCTAssertEqual(try HTTP.post(stack.url("/results"), form: [("review", "Back again, and as good as ever.")]).status, 200)
        XCTAssertTrue(Set(try stack.workers().keys).isDisjoint(with: workers))

        // A live socket is never taken over: a second master on the same path is refused.
        let second = try Stack.spawn(
            Stack.products.appendingPathComponent("movieclassifier-fcgi").path,
            [
                "--listen", stack.folder + "/fcgi.sock", "--workers", "1", "--model", Stack.repository + "/model/classifier.mcm",
                "--db", stack.database, "--www", Stack.repository + "/www",
            ],
            stderr: stack.folder + "/logs/second.log"
        )
        var status: Int32 = 0
        try Stack.waitFor("the second master to refuse", timeout: 10) { waitpid(second, &status, WNOHANG) == second }
        XCTAssertEqual((status >> 8) & 0xFF, 1)
        let log = try String(contentsOfFile: stack.folder + "/logs/second.log", encoding: .utf8)
        XCTAssertTrue(log.contains("another server accepts connections on this socket"), log)
        XCTAssertEqual(try HTTP.get(stack.url("/")).status, 200, "the first pool still serves")
    }
}
