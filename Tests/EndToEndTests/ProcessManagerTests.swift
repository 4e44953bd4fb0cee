import Foundation
import Glibc
import Synchronization
import TestSupport
import XCTest

/// `movieclassifier-fcgi` as its own process manager, behind a real nginx: workers replaced,
/// crash loops stopped, reloads and stops that lose no request, recycling, request timeouts and
/// the status report. Every process is found and signalled by PID; every wait is bounded.
final class ProcessManagerTests: XCTestCase {
    var stacks: [Stack] = []

    override func tearDown() {
        for stack in stacks { stack.stop() }
        stacks = []
    }

    func start(workers: Int, arguments: [String] = [], slowPath: Bool = false, executable: String? = nil) throws -> Stack {
        let stack = try Stack(
            workers: workers,
            arguments: arguments,
            environment: slowPath ? ["MOVIECLASSIFIER_TEST_SLOW_PATH=/slow"] : [],
            executable: executable ?? Stack.products.appendingPathComponent("movieclassifier-fcgi").path
        )
        stacks.append(stack)
        return stack
    }

    func master(_ stack: Stack) throws -> pid_t {
        try XCTUnwrap(stack.responderPID)
    }

    /// The worker processes: the master's children.
    func workers(_ stack: Stack) throws -> Set<pid_t> {
        Set(try stack.workers().keys)
    }

    func waitForWorkers(_ stack: Stack, count: Int, _ what: String, timeout: Double = 20, where condition: (Set<pid_t>) -> Bool = { _ in true })
        throws -> Set<pid_t>
    {
        var current: Set<pid_t> = []
        try Stack.waitFor(what, timeout: timeout) {
            current = try workers(stack)
            return current.count == count && condition(current)
        }
        return current
    }

    /// Runs `clients` threads sending GET / and POST /results alternately until `seconds` have
    /// passed, calling `during` on this thread meanwhile; returns every status (0: no answer).
    func underLoad(_ stack: Stack, clients: Int = 4, seconds: Double, during: () throws -> Void) rethrows -> [Int] {
        let statuses = Mutex<[Int]>([])
        let deadline = Date().addingTimeInterval(seconds)
        let done = DispatchSemaphore(value: 0)
        let form = stack.url("/"), results = stack.url("/results")
        for client in 0..<clients {
            Thread {
                var mine: [Int] = []
                var round = client
                while Date() < deadline {
                    round += 1
                    let response =
                        round % 2 == 0
                        ? try? HTTP.get(form)
                        : try? HTTP.post(results, form: [("review", "A thoroughly enjoyable film, request \(round) of client \(client).")])
                    mine.append(response?.status ?? 0)
                }
                statuses.withLock { $0 += mine }
                done.signal()
            }.start()
        }
        try during()
        for _ in 0..<clients { done.wait() }
        return statuses.withLock { $0 }
    }

    func testKilledWorkerIsReplaced() throws {
        let stack = try start(workers: 2)
        let before = try waitForWorkers(stack, count: 2, "two workers")
        let victim = try XCTUnwrap(before.first)
        kill(victim, SIGKILL)
        let after = try waitForWorkers(stack, count: 2, "a replacement worker") { !$0.contains(victim) }
        XCTAssertEqual(after.intersection(before).count, 1, "only the killed worker is replaced")
        XCTAssertEqual(try HTTP.get(stack.url("/")).status, 200)
        XCTAssertTrue(stack.responderLog.contains("worker \(victim) was killed by signal 9"), stack.responderLog)
    }

    func testWorkersDyingAtStartStopTheMasterWithAClearMessage() throws {
        let folder = try ScratchFolder("movieclassifier-crashloop").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: folder + "/corrupt.mcm"))
        let pid = try Stack.spawn(
            Stack.products.appendingPathComponent("movieclassifier-fcgi").path,
            [
                "--listen", folder + "/fcgi.sock", "--workers", "2", "--model", folder + "/corrupt.mcm",
                "--db", folder + "/feedback.sqlite", "--www", Stack.repository + "/www",
            ],
            stderr: folder + "/fcgi.log"
        )
        var status: Int32 = 0
        try Stack.waitFor("the master to give up", timeout: 20) { waitpid(pid, &status, WNOHANG) == pid }
        let log = try String(contentsOfFile: folder + "/fcgi.log", encoding: .utf8)
        XCTAssertEqual(status & 0x7F, 0, "exited, not killed")
        XCTAssertEqual((status >> 8) & 0xFF, 1, log)
        let verdict = try XCTUnwrap(log.split(separator: "\n").first { $0.contains("Stopping:") }, log)
        XCTAssertTrue(verdict.contains("3 workers in a row could not start"), log)
        XCTAssertTrue(verdict.contains("corrupt.mcm: not a movieclassifier model file"), "the master's message says the workers' own error: \(log)")
    }

    func testADatabaseFolderTheWorkersCannotWriteStopsTheMasterAtOnce() throws {
        let scratch = try ScratchFolder("movieclassifier-readonly")
        defer { scratch.remove() }
        let folder = scratch.path("data")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Read-only for root too: a file system mounted so.
        guard mount("tmpfs", folder, "tmpfs", UInt(MS_RDONLY), "size=1m") == 0 else {
            throw StackError.setup("cannot mount a read-only tmpfs at \(folder): \(String(cString: strerror(errno))) (the tests run as root)")
        }
        defer { umount2(folder, Int32(MNT_DETACH)) }
        let log = scratch.path("fcgi.log")
        let started = Date()
        let pid = try Stack.spawn(
            Stack.products.appendingPathComponent("movieclassifier-fcgi").path,
            [
                "--listen", scratch.path("fcgi.sock"), "--workers", "2",
                "--model", Stack.repository + "/model/classifier.mcm", "--db", folder + "/feedback.sqlite", "--www", Stack.repository + "/www",
            ],
            stderr: log
        )
        var status: Int32 = 0
        try Stack.waitFor("the master to give up", timeout: 20) { waitpid(pid, &status, WNOHANG) == pid }
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertEqual((status >> 8) & 0xFF, 1, text)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "at once")
        let verdict = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("Stopping:") }, text)
        XCTAssertTrue(verdict.contains(folder), "the master's message names the folder: \(verdict)")
    }

    func testReloadUnderLoadFailsNoRequestAndReplacesEveryWorker() throws {
        let stack = try start(workers: 2)
        let old = try waitForWorkers(stack, count: 2, "two workers")
        let statuses = try underLoad(stack, seconds: 3) {
            usleep(700_000)
            kill(try master(stack), SIGHUP)
        }
        XCTAssertGreaterThan(statuses.count, 50, "the load ran")
        XCTAssertEqual(statuses.filter { $0 != 200 }.count, 0, "statuses other than 200: \(Set(statuses))")
        let new = try waitForWorkers(stack, count: 2, "the old workers to leave") { $0.isDisjoint(with: old) }
        XCTAssertTrue(new.isDisjoint(with: old))
        XCTAssertTrue(stack.responderLog.contains("old ones finish their requests"), stack.responderLog)
    }

    func testReloadExecutesTheBinaryThatNowSitsAtThePath() throws {
        let folder = try ScratchFolder("movieclassifier-bin").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let built = Stack.products.appendingPathComponent("movieclassifier-fcgi").path
        let installed = folder + "/movieclassifier-fcgi"
        try FileManager.default.copyItem(atPath: built, toPath: installed)
        let stack = try start(workers: 1, executable: installed)
        let parent = try master(stack)
        let old = try waitForWorkers(stack, count: 1, "a worker")

        // A deployment: the new binary is renamed over the old one.
        try FileManager.default.copyItem(atPath: built, toPath: installed + ".new")
        XCTAssertEqual(rename(installed + ".new", installed), 0)
        func runsReplacedBinary(_ pid: pid_t) -> Bool {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"))?.hasSuffix("(deleted)") ?? false
        }
        XCTAssertTrue(runsReplacedBinary(parent))

        kill(parent, SIGHUP)
        let new = try waitForWorkers(stack, count: 1, "the new worker alone") { $0.isDisjoint(with: old) }
        XCTAssertEqual(stack.responderPID, parent, "the master keeps its PID")
        XCTAssertFalse(runsReplacedBinary(parent), "the master runs the new binary")
        XCTAssertFalse(try runsReplacedBinary(XCTUnwrap(new.first)), "so does its worker")
        XCTAssertEqual(try HTTP.get(stack.url("/")).status, 200)
    }

    func testReloadWhoseWorkersCannotStartKeepsTheOldWorkersServing() throws {
        let folder = try ScratchFolder("movieclassifier-model").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Stack.repository + "/model/classifier.mcm", toPath: folder + "/classifier.mcm")
        let stack = try Stack(workers: 2, model: folder + "/classifier.mcm")
        stacks.append(stack)
        let old = try waitForWorkers(stack, count: 2, "two workers")

        try Data("not a model".utf8).write(to: URL(fileURLWithPath: folder + "/classifier.mcm"))
        kill(try master(stack), SIGHUP)
        try Stack.waitFor("the reload to be abandoned") { stack.responderLog.contains("reload abandoned") }
        XCTAssertEqual(try waitForWorkers(stack, count: 2, "the new workers to be gone") { $0 == old }, old)
        XCTAssertEqual(try HTTP.get(stack.url("/")).status, 200, "the old workers still answer")
    }

    func testGracefulStopUnderLoadAnswersRequestsInFlightAndExitsZero() throws {
        let stack = try start(workers: 2, slowPath: true)
        _ = try waitForWorkers(stack, count: 2, "two workers")
        let slow = Mutex<[Int]>([])
        let slowDone = DispatchSemaphore(value: 0)
        let slowURL = stack.url("/slow?seconds=1.5")
        for _ in 0..<2 {
            Thread {
                let status = (try? HTTP.get(slowURL))?.status ?? 0
                slow.withLock { $0.append(status) }
                slowDone.signal()
            }.start()
        }
        var exitStatus: Int32?
        let statuses = try underLoad(stack, clients: 2, seconds: 3) {
            usleep(500_000)
            kill(try master(stack), SIGTERM)
            exitStatus = stack.waitForResponderExit(timeout: 10)
        }
        for _ in 0..<2 { slowDone.wait() }
        XCTAssertEqual(slow.withLock { $0 }, [200, 200], "requests in flight at the stop are answered")
        XCTAssertEqual(exitStatus, 0, stack.responderLog)
        XCTAssertTrue(statuses.allSatisfy { $0 == 200 || $0 == 502 }, "answered, or refused by nginx once the pool is gone: \(Set(statuses))")
        XCTAssertTrue(stack.responderLog.contains("stopped"), stack.responderLog)
    }

    func testMaxRequestsRecyclesWorkersWithoutFailingARequest() throws {
        let stack = try start(workers: 1, arguments: ["--max-requests", "5"])
        var seen: Set<pid_t> = try workers(stack)
        var statuses: [Int] = []
        for _ in 0..<12 {
            statuses.append(try HTTP.get(stack.url("/")).status)
            seen.formUnion(try workers(stack))
        }
        XCTAssertEqual(statuses, Array(repeating: 200, count: 12))
        _ = try waitForWorkers(stack, count: 1, "a third worker") { _ in
            seen.formUnion((try? self.workers(stack)) ?? [])
            return seen.count >= 3
        }
        XCTAssertTrue(stack.responderLog.contains("exited after 5 requests"), stack.responderLog)
        XCTAssertFalse(stack.responderLog.contains("error"), "recycling is no crash: \(stack.responderLog)")
    }

    func testRequestPastTheTimeoutIsCutOffAndItsWorkerReplaced() throws {
        let stack = try start(workers: 1, arguments: ["--request-timeout", "1"], slowPath: true)
        let before = try waitForWorkers(stack, count: 1, "a worker")
        let started = Date()
        let stuck = try HTTP.get(stack.url("/slow?seconds=30"))
        XCTAssertTrue([502, 504].contains(stuck.status), "\(stuck.status)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "cut off near the timeout, not left hanging")
        XCTAssertEqual(try HTTP.get(stack.url("/")).status, 200)
        _ = try waitForWorkers(stack, count: 1, "a replacement worker") { $0.isDisjoint(with: before) }
        XCTAssertTrue(stack.responderLog.contains("past --request-timeout"), stack.responderLog)
    }

    /// Sends SIGUSR1 and returns the report it writes to the log (in one piece).
    func statusReport(_ stack: Stack) throws -> String {
        let before = stack.responderLog.utf8.count
        kill(try master(stack), SIGUSR1)
        var report = ""
        try Stack.waitFor("the status report") {
            report = String(decoding: stack.responderLog.utf8.dropFirst(before), as: UTF8.self)
            return report.contains("feedback_pending=")
        }
        return report
    }

    func testStatusReportListsEveryWorkerWithItsStateAndTheFeedbackPending() throws {
        let stack = try start(workers: 2, slowPath: true)
        let pids = try waitForWorkers(stack, count: 2, "two workers")
        try Stack.waitFor("both workers to load the model") { try !statusReport(stack).contains("state=starting") }
        let slowURL = stack.url("/slow?seconds=2")
        let slowDone = DispatchSemaphore(value: 0)
        Thread {
            _ = try? HTTP.get(slowURL)
            slowDone.signal()
        }.start()
        usleep(700_000)
        let report = try statusReport(stack)
        slowDone.wait()
        XCTAssertTrue(report.contains("status pid=\(try master(stack)) workers=2 generation=1 reloading=no restarts=0"), report)
        XCTAssertTrue(report.contains("feedback_latest=0 feedback_pending=0"), report)
        for pid in pids {
            XCTAssertTrue(report.contains("worker pid=\(pid) generation=1 state="), report)
        }
        XCTAssertNotNil(report.firstMatch(of: #/state=busy served=\d+ request_age=\d+\.\ds watermark=0/#), "the slow request: \(report)")
        XCTAssertNotNil(report.firstMatch(of: #/state=idle served=\d+ request_age=- watermark=0/#), report)
    }
}
