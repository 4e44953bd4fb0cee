import PoolSupervision
import XCTest

final class AcceptPacingTests: XCTestCase {
    func testAWorkerWaitsBeforeItsFirstAccept() {
        XCTAssertTrue(AcceptPacing().shouldWait)
    }

    func testAfterAWaitAndAnAcceptTheNextAcceptIsTriedAtOnce() {
        var pacing = AcceptPacing(maximumStreak: 4)
        pacing.waited()
        XCTAssertFalse(pacing.shouldWait)
        pacing.accepted()
        XCTAssertFalse(pacing.shouldWait)
    }

    func testAnAcceptThatFindsTheQueueEmptyLeadsToAWait() {
        var pacing = AcceptPacing(maximumStreak: 4)
        pacing.waited()
        pacing.accepted()
        pacing.foundEmpty()
        XCTAssertTrue(pacing.shouldWait)
        pacing.waited()
        XCTAssertFalse(pacing.shouldWait)
    }

    func testABusyWorkerWaitsOnceEveryMaximumStreakAccepts() {
        var pacing = AcceptPacing(maximumStreak: 3)
        var waits = 0
        for _ in 0..<12 {
            if pacing.shouldWait {
                pacing.waited()
                waits += 1
            }
            pacing.accepted()
        }
        XCTAssertEqual(waits, 4, "12 accepts, a wait before each run of 3")
        XCTAssertEqual(pacing.streak, 3)
    }

    func testAStreakOfOneWaitsBeforeEveryAccept() {
        var pacing = AcceptPacing(maximumStreak: 1)
        pacing.waited()
        pacing.accepted()
        XCTAssertTrue(pacing.shouldWait)
    }
}
