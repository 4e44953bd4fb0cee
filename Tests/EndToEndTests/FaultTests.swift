import FeedbackStore
import Foundation
import GRDB
import Glibc
import Synchronization
import XCTest

/// Workers SIGKILLed, as a crash or the OOM killer would, while classifications and feedback run
/// through a real nginx: the pool keeps serving, no feedback answered 200 is lost, the database
/// stays sound, and only the request in flight in a killed worker fails.
final class FaultTests: XCTestCase {
    var stack: Stack?

    override func tearDown() {
        stack?.stop()
        stack = nil
    }

    /// One request of the load: when it began and its status (0: no answer).
    struct Outcome {
        let began: Date
        let status: Int
    }

    /// What the clients of a load saw.
    struct LoadRecord {
        var outcomes: [Outcome] = []
        /// The reviews whose feedback was sent, each one once.
        var sent: Set<String> = []
        /// The reviews whose feedback was answered 200: each one promised to be in the database.
        var acknowledged: Set<String> = []

        mutating func add(_ other: LoadRecord) {
            outcomes += other.outcomes
            sent.formUnion(other.sent)
            acknowledged.formUnion(other.acknowledged)
        }
    }

    /// Runs `clients` threads until `seconds` have passed, each classifying a review of its own
    /// (POST /results) and sending its feedback with the page's signed fields (POST /thanks),
    /// calling `during` on this thread meanwhile. Every review is unique, so the rows in the
    /// database say exactly which feedback landed.
    func feedbackLoad(_ stack: Stack, clients: Int, seconds: Double, during: () throws -> Void) rethrows -> LoadRecord {
        let record = Mutex(LoadRecord())
        let deadline = Date().addingTimeInterval(seconds)
        let done = DispatchSemaphore(value: 0)
        let results = stack.url("/results"), thanks = stack.url("/thanks")
        for client in 0..<clients {
            Thread {
                var mine = LoadRecord()
                var round = 0
                while Date() < deadline {
                    round += 1
                    let review = "Review \(round) of client \(client): a thoroughly enjoyable film, with a fine cast and a clever plot."
                    let classifying = Date()
                    let page = try? HTTP.post(results, form: [("review", review)])
                    mine.outcomes.append(Outcome(began: classifying, status: page?.status ?? 0))
                    guard let page, page.status == 200 else { continue }
                    let button = round % 3 == 0 ? "Incorrect" : "Correct"
                    let sending = Date()
                    mine.sent.insert(review)
                    let answer = try? HTTP.post(thanks, form: FormFields.hidden(in: page.body) + [("feedback_button", button)])
                    mine.outcomes.append(Outcome(began: sending, status: answer?.status ?? 0))
                    if answer?.status == 200 { mine.acknowledged.insert(review) }
                }
                record.withLock { $0.add(mine) }
                done.signal()
            }.start()
        }
        try during()
        for _ in 0..<clients { done.wait() }
        return record.withLock { $0 }
    }

    /// Every `interval` seconds until `seconds` have passed, SIGKILLs a random worker that has
    /// been running for at least a second; returns when each kill was sent.
    ///
    /// A worker killed sooner counts, for the master, towards a crash loop (workers that die at
    /// start, for a corrupt model), which it answers with backoff and finally by stopping: the
    /// faults here stand for crashes in the middle of serving.
    func killWorkers(_ stack: Stack, every interval: Double, for seconds: Double) throws -> [Date] {
        let end = Date().addingTimeInterval(seconds)
        var kills: [Date] = []
        while Date().addingTimeInterval(interval) < end {
            usleep(useconds_t(interval * 1_000_000))
            guard let victim = try stack.workers().filter({ $0.value >= 1 }).keys.randomElement() else { continue }
            kill(victim, SIGKILL)
            kills.append(Date())
        }
        return kills
    }

    func testKillingWorkersUnderLoadLosesNoAcknowledgedFeedback() throws {
        let workers = 3
        let stack = try Stack(workers: workers)
        self.stack = stack
        try Stack.waitFor("\(workers) workers running for a second") { try stack.workers().values.filter { $0 >= 1 }.count == workers }

        var kills: [Date] = []
        let load = try feedbackLoad(stack, clients: 4, seconds: 4) {
            kills = try killWorkers(stack, every: 0.3, for: 3.4)
        }

        let failures = load.outcomes.filter { $0.status != 200 }
        let rows = try FeedbackStore(path: stack.database).rows(after: 0, limit: 100_000)
        let stored = Set(rows.map(\.review))
        print(
            "fault figures: \(kills.count) kills, \(load.outcomes.count) requests, \(failures.count) failed "
                + "(statuses \(Set(failures.map(\.status)).sorted())), feedback sent \(load.sent.count), "
                + "acknowledged \(load.acknowledged.count), rows \(rows.count)"
        )
        XCTAssertGreaterThan(load.outcomes.count, 50, "the load ran")
        XCTAssertGreaterThanOrEqual(kills.count, 5, "workers were killed")

        // A worker serves one request at a time and nginx keeps no connection to it between
        // requests: a kill can fail only the one it was serving, which nginx answers with 502.
        XCTAssertLessThanOrEqual(failures.count, kills.count, "at most the request in flight in each killed worker")
        XCTAssertTrue(failures.allSatisfy { $0.status == 502 }, "statuses: \(Set(failures.map(\.status)))")
        let lastKill = try XCTUnwrap(kills.last)
        let afterLastKill = load.outcomes.filter { $0.began > lastKill }
        XCTAssertFalse(afterLastKill.isEmpty, "the load outlasted the kills")
        XCTAssertTrue(afterLastKill.allSatisfy { $0.status == 200 }, "the pool still serves: \(afterLastKill.map(\.status))")
        try Stack.waitFor("\(workers) workers again") { try stack.workers().count == workers }
        XCTAssertEqual(try HTTP.get(stack.url("/")).status, 200)

        XCTAssertTrue(load.acknowledged.isSubset(of: stored), "acknowledged but lost: \(load.acknowledged.subtracting(stored))")
        XCTAssertTrue(stored.isSubset(of: load.sent), "rows nobody sent: \(stored.subtracting(load.sent))")
        XCTAssertEqual(rows.count, stored.count, "each feedback stored once")
        // Rows stored but not acknowledged: feedback whose worker was killed after its commit.
        XCTAssertLessThanOrEqual(stored.count - load.acknowledged.count, kills.count)
        let integrity = try DatabaseQueue(path: stack.database).read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, ["ok"])
        XCTAssertTrue(stack.responderLog.contains("was killed by signal 9"), stack.responderLog)
    }
}
