import Glibc
import PoolSupervision
import XCTest

/// The master's decisions, without a process: a simulated pool forks "workers" by number,
/// marks them ready, ends them, and moves the clock.
final class PoolStateMachineTests: XCTestCase {
    /// The process layer, simulated: carries out `start` actions by inventing PIDs, remembers
    /// the signals sent and the messages logged, and feeds the readiness it is told.
    struct SimulatedPool {
        var machine: PoolStateMachine
        var now: Int64 = 1_000_000_000_000
        var nextPID: Int32 = 100
        var ready: Set<Int32> = []
        var requestStarts: [Int32: Int64] = [:]
        var signals: [(pid: Int32, signal: Int32)] = []
        var log: [String] = []
        var outcome: PoolOutcome?
        var reexecutions = 0

        init(workers: Int, requestTimeout: Double? = nil, stopTimeout: Double = 10) {
            machine = PoolStateMachine(
                settings: PoolSettings(
                    workers: workers, requestTimeout: requestTimeout.map { Int64($0 * 1e9) }, stopTimeout: Int64(stopTimeout * 1e9)),
                slotCapacity: 4 * workers
            )
        }

        var pids: Set<Int32> { Set(machine.workers.keys) }

        mutating func perform(_ actions: [PoolAction]) {
            for action in actions {
                switch action {
                case .start(let generation, let slot):
                    nextPID += 1
                    machine.started(pid: nextPID, generation: generation, slot: slot, now: now)
                case .signal(let pid, let signal): signals.append((pid, signal))
                case .reexecute: reexecutions += 1
                case .info(let message), .error(let message): log.append(message)
                case .finish(let outcome): self.outcome = outcome
                }
            }
        }

        mutating func begin(handedOver: [Int32] = []) {
            perform(machine.begin(handedOver: handedOver, now: now))
            tick()
        }

        mutating func tick() {
            var readings: [Int32: SlotReading] = [:]
            for pid in machine.workers.keys { readings[pid] = SlotReading(ready: ready.contains(pid), requestStartedAt: requestStarts[pid]) }
            perform(machine.tick(now: now, readings: readings))
        }

        mutating func advance(_ seconds: Double) {
            now += Int64(seconds * 1e9)
            tick()
        }

        mutating func markAllReady() {
            ready.formUnion(pids)
            tick()
        }

        mutating func end(_ pid: Int32, _ end: ProcessEnd, note: String? = nil) {
            perform(machine.exited(pid: pid, end: end, wasReady: ready.contains(pid), note: note, served: 0, now: now))
            tick()
        }
    }

    func testKilledWorkersAreReplacedAtOnceAndNeverStopThePoolEvenBeforeTheyAreReady() {
        var pool = SimulatedPool(workers: 2)
        pool.begin()
        XCTAssertEqual(pool.pids.count, 2)
        for round in 0..<50 {
            // Half of the victims are killed before they were ever ready.
            if round % 2 == 0 { pool.markAllReady() }
            let victim = pool.pids.min()!
            pool.end(victim, .signaled(SIGKILL))
            XCTAssertEqual(pool.pids.count, 2, "replaced in the same tick, round \(round)")
            XCTAssertFalse(pool.pids.contains(victim))
        }
        XCTAssertNil(pool.outcome)
        XCTAssertEqual(pool.machine.counters.killed, 50)
        XCTAssertEqual(pool.machine.counters.failedStarts, 0)
    }

    func testSIGTERMAndSIGINTFromOutsideAreKillsNotFailedStarts() {
        var pool = SimulatedPool(workers: 1)
        pool.begin()
        for signal in [SIGTERM, SIGINT, SIGTERM, SIGINT] { pool.end(pool.pids.first!, .signaled(signal)) }
        XCTAssertNil(pool.outcome)
        XCTAssertEqual(pool.pids.count, 1)
        XCTAssertEqual(pool.machine.counters.failedStarts, 0)
    }

    func testWorkersThatCannotStartBeforeAnyWasReadyStopTheMasterWithTheirOwnError() {
        var pool = SimulatedPool(workers: 2)
        pool.begin()
        var ends = 0
        while pool.outcome == nil && ends < 10 {
            guard let pid = pool.pids.min() else {
                pool.advance(0.05)
                continue
            }
            pool.end(pid, .exited(status: 1), note: "cannot load /srv/model/corrupt.mcm: not a model file")
            ends += 1
        }
        XCTAssertEqual(ends, 3, "max(workers, 3) failed starts")
        guard case .gaveUp(let message) = pool.outcome else { return XCTFail("\(String(describing: pool.outcome))") }
        XCTAssertTrue(message.contains("3 workers in a row could not start"), message)
        XCTAssertTrue(message.contains("corrupt.mcm: not a model file"), "the worker's own error: \(message)")
        XCTAssertTrue(message.contains("exited with status 1"), message)
    }

    func testACrashSignalBeforeReadyIsAFailedStart() {
        var pool = SimulatedPool(workers: 1)
        pool.begin()
        for _ in 0..<3 {
            pool.advance(10)
            if let pid = pool.pids.first { pool.end(pid, .signaled(SIGSEGV)) }
        }
        guard case .gaveUp = pool.outcome else { return XCTFail("a worker that crashes at start is a failed start") }
    }

    func testFailedStartsBackOffFromATenthOfASecondToTenSeconds() {
        XCTAssertEqual(
            (0...9).map { PoolStateMachine.backoff(afterFailedStarts: $0) },
            [0, 100_000_000, 200_000_000, 400_000_000, 800_000_000, 1_600_000_000, 3_200_000_000, 6_400_000_000, 10_000_000_000, 10_000_000_000]
        )
        XCTAssertEqual(PoolStateMachine.backoff(afterFailedStarts: 1_000), 10_000_000_000)
    }

    func testAPoolThatHasServedKeepsRetryingFailedStartsForeverWithBackoff() {
        var pool = SimulatedPool(workers: 2)
        pool.begin()
        pool.markAllReady()
        let survivor = pool.pids.max()!
        // The model file is now corrupt: every new worker fails, the survivor serves on.
        var victim = pool.pids.min()!
        pool.end(victim, .signaled(SIGKILL))
        for failure in 1...30 {
            victim = pool.pids.subtracting([survivor]).first!
            pool.end(victim, .exited(status: 1), note: "corrupt model")
            XCTAssertEqual(pool.pids, [survivor], "the replacement waits for its backoff (failure \(failure))")
            let delay = Double(PoolStateMachine.backoff(afterFailedStarts: failure)) / 1e9
            pool.advance(delay - 0.01)
            XCTAssertEqual(pool.pids.count, 1, "not before its backoff")
            pool.advance(0.02)
            XCTAssertEqual(pool.pids.count, 2, "retried after \(delay) s")
        }
        XCTAssertNil(pool.outcome, "a pool that has served never stops by itself")
        XCTAssertEqual(pool.machine.counters.failedStarts, 30)
        XCTAssertTrue(pool.log.contains { $0.contains("keeps trying") }, pool.log.joined(separator: "\n"))

        // A worker that becomes ready ends the run of failures.
        pool.markAllReady()
        XCTAssertNil(pool.machine.failedStartsInARow[pool.machine.serving])
        let next = pool.pids.subtracting([survivor]).first!
        pool.end(next, .signaled(SIGKILL))
        XCTAssertEqual(pool.pids.count, 2, "a kill is replaced at once again")
    }

    func testAWorkerThatCrashesWhileServingIsReplacedAtOnceAndIsNoFailedStart() {
        var pool = SimulatedPool(workers: 2)
        pool.begin()
        pool.markAllReady()
        for _ in 0..<10 {
            pool.end(pool.pids.min()!, .signaled(SIGSEGV), note: nil)
            XCTAssertEqual(pool.pids.count, 2)
            pool.markAllReady()
        }
        XCTAssertNil(pool.outcome)
        XCTAssertEqual(pool.machine.counters.crashes, 10)
        XCTAssertEqual(pool.machine.counters.failedStarts, 0)
        XCTAssertTrue(pool.log.contains { $0.contains("was killed by signal 11") && $0.contains("while serving") }, pool.log.joined(separator: "\n"))
    }

    func testAWorkerExitingAfterMaxRequestsIsRecycled() {
        var pool = SimulatedPool(workers: 1)
        pool.begin()
        pool.markAllReady()
        pool.end(pool.pids.first!, .exited(status: 0))
        XCTAssertEqual(pool.pids.count, 1)
        XCTAssertEqual(pool.machine.counters.recycled, 1)
        XCTAssertFalse(pool.log.contains { $0.contains("could not start") })
    }

    func testARequestPastTheTimeoutGetsItsWorkerKilledAndReplaced() {
        var pool = SimulatedPool(workers: 2, requestTimeout: 1)
        pool.begin()
        pool.markAllReady()
        let stuck = pool.pids.min()!
        pool.requestStarts[stuck] = pool.now
        pool.advance(0.9)
        XCTAssertTrue(pool.signals.isEmpty)
        pool.advance(0.2)
        XCTAssertEqual(pool.signals.map(\.pid), [stuck])
        XCTAssertEqual(pool.signals.map(\.signal), [SIGKILL])
        pool.advance(0.5)
        XCTAssertEqual(pool.signals.count, 1, "killed once")
        pool.requestStarts[stuck] = nil
        pool.end(stuck, .signaled(SIGKILL))
        XCTAssertEqual(pool.pids.count, 2)
        XCTAssertEqual(pool.machine.counters.timeouts, 1)
        XCTAssertEqual(pool.machine.counters.killed, 0, "the master's own kill")
    }

    func testTheMostBusyWorkersAndEachTimeAllWereBusyAreCountedOnTicks() {
        var pool = SimulatedPool(workers: 2)
        pool.begin()
        pool.markAllReady()
        let (first, second) = (pool.pids.min()!, pool.pids.max()!)
        pool.requestStarts[first] = pool.now
        pool.advance(0.1)
        XCTAssertEqual(pool.machine.counters.maxActive, 1)
        XCTAssertEqual(pool.machine.counters.maxChildrenReached, 0)
        pool.requestStarts[second] = pool.now
        pool.advance(0.1)
        pool.advance(0.1)
        XCTAssertEqual(pool.machine.counters.maxActive, 2)
        XCTAssertEqual(pool.machine.counters.maxChildrenReached, 1, "once for as long as every worker stays busy")
        pool.requestStarts[first] = nil
        pool.advance(0.1)
        pool.requestStarts[first] = pool.now
        pool.advance(0.1)
        XCTAssertEqual(pool.machine.counters.maxChildrenReached, 2, "busy again after a tick with an idle worker")
        pool.requestStarts = [:]
        pool.advance(0.1)
        XCTAssertEqual(pool.machine.counters.maxActive, 2, "the most, not the current")
    }

    func testAWorkerStoppedLongerThanTheRequestTimeoutIsKilledBusyOrIdle() {
        var pool = SimulatedPool(workers: 2, requestTimeout: 2)
        pool.begin()
        pool.markAllReady()
        let hung = pool.pids.min()!
        pool.machine.stopped(pid: hung, now: pool.now)
        pool.advance(1)
        pool.machine.continued(pid: hung)
        pool.advance(1.5)
        XCTAssertTrue(pool.signals.isEmpty, "continued in time")
        pool.machine.stopped(pid: hung, now: pool.now)
        pool.advance(2.1)
        XCTAssertEqual(pool.signals.map(\.pid), [hung])
        pool.end(hung, .signaled(SIGKILL))
        XCTAssertEqual(pool.pids.count, 2)
    }

    func testAStoppedWorkerIsLeftAloneWithoutARequestTimeout() {
        var pool = SimulatedPool(workers: 2)
        pool.begin()
        pool.markAllReady()
        pool.machine.stopped(pid: pool.pids.min()!, now: pool.now)
        pool.advance(3600)
        XCTAssertTrue(pool.signals.isEmpty)
    }

    func testAReloadStopsTheOldWorkersOnlyOnceAsManyNewOnesAreReady() {
        var pool = SimulatedPool(workers: 2)
        pool.begin(handedOver: [10, 11])
        XCTAssertEqual(pool.pids.count, 4)
        XCTAssertNotNil(pool.machine.incoming)
        XCTAssertNotEqual(pool.machine.incoming, pool.machine.serving)
        let new = pool.pids.subtracting([10, 11])
        pool.ready.insert(new.min()!)
        pool.tick()
        XCTAssertTrue(pool.signals.isEmpty, "one new worker of two is ready")
        pool.markAllReady()
        XCTAssertEqual(Set(pool.signals.map(\.pid)), [10, 11])
        XCTAssertTrue(pool.signals.allSatisfy { $0.signal == SIGTERM })
        pool.end(10, .exited(status: 0))
        pool.end(11, .exited(status: 0))
        XCTAssertEqual(pool.pids, new, "old workers finishing are not replaced")
    }

    func testAReloadWhoseWorkersCannotStartIsAbandonedAndTheOldOnesKeepServing() {
        var pool = SimulatedPool(workers: 2)
        pool.begin(handedOver: [10, 11])
        for _ in 0..<10 where pool.machine.incoming != nil {
            guard let pid = pool.pids.subtracting([10, 11]).filter({ pool.machine.workers[$0]?.stopSentAt == nil }).min() else {
                pool.advance(1)
                continue
            }
            pool.end(pid, .exited(status: 1), note: "corrupt model")
        }
        XCTAssertNil(pool.machine.incoming)
        XCTAssertNil(pool.outcome, "the old workers have served: the master stays")
        XCTAssertTrue(pool.log.contains { $0.contains("reload abandoned") }, pool.log.joined(separator: "\n"))
        XCTAssertFalse(pool.signals.contains { $0.pid == 10 || $0.pid == 11 })
    }

    func testSIGHUPAsksForAnExecAndStartsNewWorkersHereWhereTheExecFails() {
        var pool = SimulatedPool(workers: 2)
        pool.begin()
        pool.markAllReady()
        pool.perform(pool.machine.reload())
        XCTAssertEqual(pool.reexecutions, 1)
        pool.perform(pool.machine.reexecutionFailed(reason: "cannot execute /gone: No such file", now: pool.now))
        XCTAssertEqual(pool.pids.count, 4)
        pool.markAllReady()
        XCTAssertEqual(pool.signals.count, 2)
    }

    func testAGracefulStopWaitsForTheWorkersThenKillsThosePastTheStopTimeout() {
        var pool = SimulatedPool(workers: 2, stopTimeout: 5)
        pool.begin()
        pool.markAllReady()
        let pids = pool.pids.sorted()
        pool.perform(pool.machine.stop(now: pool.now))
        XCTAssertEqual(pool.signals.map(\.signal), [SIGTERM, SIGTERM])
        pool.end(pids[0], .exited(status: 0))
        XCTAssertEqual(pool.pids, [pids[1]], "no replacement while stopping")
        pool.advance(4)
        XCTAssertEqual(pool.signals.count, 2)
        pool.advance(2)
        XCTAssertEqual(pool.signals.last?.signal, SIGKILL)
        XCTAssertNil(pool.outcome)
        pool.end(pids[1], .signaled(SIGKILL))
        XCTAssertEqual(pool.outcome, .stopped)
    }

    func testQuitKillsEveryWorker() {
        var pool = SimulatedPool(workers: 3)
        pool.begin()
        pool.perform(pool.machine.quit())
        XCTAssertEqual(Set(pool.signals.map(\.pid)), pool.pids)
        XCTAssertTrue(pool.signals.allSatisfy { $0.signal == SIGKILL })
        XCTAssertEqual(pool.outcome, .quit)
    }

    func testAFailedForkIsTriedAgainASecondLater() {
        var pool = SimulatedPool(workers: 1)
        var machine = pool.machine
        let actions = machine.begin(handedOver: [], now: pool.now)
        guard case .start(let generation, let slot) = actions.first else { return XCTFail("\(actions)") }
        pool.machine = machine
        pool.perform(pool.machine.couldNotFork(generation: generation, slot: slot, reason: "Resource temporarily unavailable", now: pool.now))
        pool.advance(0.9)
        XCTAssertTrue(pool.pids.isEmpty)
        pool.advance(0.2)
        XCTAssertEqual(pool.pids.count, 1)
    }

    func testTheStatusReportSaysWhenThePoolIsRetryingFailedStarts() {
        var pool = SimulatedPool(workers: 2)
        pool.begin()
        pool.markAllReady()
        let survivor = pool.pids.max()!
        pool.end(pool.pids.min()!, .signaled(SIGKILL))
        pool.end(pool.pids.subtracting([survivor]).first!, .exited(status: 1), note: "corrupt model")
        pool.advance(0.05)
        let details = [survivor: WorkerDetails(reading: SlotReading(ready: true), served: 7, watermark: 3, note: "the model file was \"replaced\"")]
        let report = pool.machine.statusReport(now: pool.now, masterPID: 42, details: details)
        XCTAssertTrue(
            report.head.hasPrefix("status pid=42 workers=2 generation=1 reloading=no restarts=2 crashes=0 failed_starts=1 killed=1"), report.head)
        XCTAssertTrue(report.head.hasSuffix("starting=retrying failed_in_a_row=1 next_start_in=0.1s"), report.head)
        XCTAssertEqual(
            report.workers,
            ["worker pid=\(survivor) generation=1 state=idle served=7 request_age=- watermark=3 problem=\"the model file was 'replaced'\""])
        XCTAssertEqual(report.oldestWatermark, 3)
    }

    func testWaitStatusesDecodeAsGlibcDoes() {
        XCTAssertEqual(WaitStatus(0), .ended(.exited(status: 0)))
        XCTAssertEqual(WaitStatus(1 << 8), .ended(.exited(status: 1)))
        XCTAssertEqual(WaitStatus(SIGKILL), .ended(.signaled(SIGKILL)))
        XCTAssertEqual(WaitStatus(SIGSEGV | 0x80), .ended(.signaled(SIGSEGV)), "with a core dump")
        XCTAssertEqual(WaitStatus((SIGSTOP << 8) | 0x7F), .stopped)
        XCTAssertEqual(WaitStatus(0xFFFF), .continued)
        XCTAssertEqual(ProcessEnd.signaled(SIGKILL).description, "was killed by signal 9 (Killed)")
        XCTAssertTrue(ProcessEnd.signaled(SIGABRT).isOwnFailure)
        XCTAssertTrue(ProcessEnd.signaled(SIGILL).isOwnFailure, "a Swift runtime trap")
        XCTAssertFalse(ProcessEnd.signaled(SIGKILL).isOwnFailure)
        XCTAssertFalse(ProcessEnd.exited(status: 0).isOwnFailure)
    }
}
