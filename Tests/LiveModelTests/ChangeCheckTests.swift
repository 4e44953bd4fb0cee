import LiveModel
import XCTest

final class ChangeCheckTests: XCTestCase {
    let start = ContinuousClock.now

    func testLooksWhenTheCounterMovesOrTheIntervalHasPassedAndOtherwiseNot() {
        var check = ChangeCheck(fullCheckInterval: .seconds(1))
        XCTAssertTrue(check.isDue(count: 5, now: start), "the first call looks")
        XCTAssertFalse(check.isDue(count: 5, now: start + .milliseconds(999)))
        XCTAssertTrue(check.isDue(count: 6, now: start + .milliseconds(999)), "the counter moved")
        XCTAssertFalse(check.isDue(count: 6, now: start + .milliseconds(1_998)), "the interval runs from the last look")
        XCTAssertTrue(check.isDue(count: 6, now: start + .milliseconds(1_999)))
        XCTAssertTrue(check.isDue(count: 5, now: start + .milliseconds(1_999)), "any move, back too (a counter file made anew)")
    }

    func testWithoutACounterEveryCallLooks() {
        var check = ChangeCheck(fullCheckInterval: .seconds(1))
        for step in 0..<3 { XCTAssertTrue(check.isDue(count: nil, now: start + .microseconds(step))) }
    }

    func testAForgottenLookIsDueAtOnce() {
        var check = ChangeCheck(fullCheckInterval: .seconds(1))
        XCTAssertTrue(check.isDue(count: 5, now: start))
        check.forget()
        XCTAssertTrue(check.isDue(count: 5, now: start + .milliseconds(1)), "the look that failed is made again")
        XCTAssertFalse(check.isDue(count: 5, now: start + .milliseconds(2)))
    }

    func testAnOwnWriteRightAfterTheLastLookIsAbsorbedAndNothingElse() {
        var check = ChangeCheck(fullCheckInterval: .seconds(1))
        XCTAssertFalse(check.absorbOwnAnnouncement(countBefore: 5), "nothing was looked at yet")
        XCTAssertTrue(check.isDue(count: 5, now: start))
        XCTAssertFalse(check.absorbOwnAnnouncement(countBefore: nil), "a store without a counter")
        XCTAssertFalse(check.absorbOwnAnnouncement(countBefore: 6), "another writer moved it first")
        XCTAssertTrue(check.absorbOwnAnnouncement(countBefore: 5))
        XCTAssertFalse(check.isDue(count: 6, now: start + .milliseconds(1)), "the own move is seen")
        XCTAssertTrue(check.isDue(count: 7, now: start + .milliseconds(2)), "a later move is not")
        XCTAssertTrue(check.absorbOwnAnnouncement(countBefore: 7))
        XCTAssertTrue(check.isDue(count: 8, now: start + .seconds(1) + .milliseconds(2)), "the full check keeps its time")
        check.forget()
        XCTAssertFalse(check.absorbOwnAnnouncement(countBefore: 8), "a look that failed absorbs nothing")
    }
}
