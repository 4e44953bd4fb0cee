import XCTest

@testable import WebApp

final class PercentTests: XCTestCase {
    func testTwoDecimalsOfAProbabilityBetweenZeroAndOne() {
        XCTAssertEqual(Percent(0.931234)?.text, "93.12")
        XCTAssertEqual(Percent(0.93125)?.text, "93.13")
        XCTAssertEqual(Percent(0.5)?.text, "50.00")
        XCTAssertEqual(Percent(0.50049)?.text, "50.05")
        XCTAssertEqual(Percent(0.0701)?.text, "7.01")
        XCTAssertEqual(Percent(0.999999)?.text, "100.00")
        XCTAssertEqual(Percent(0)?.text, "0.00")
        XCTAssertNil(Percent(.nan))
        XCTAssertNil(Percent(1.01))
        XCTAssertNil(Percent(-0.01))
    }
}
