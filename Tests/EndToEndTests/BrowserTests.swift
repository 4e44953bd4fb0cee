import FeedbackStore
import Foundation
import TestSupport
import XCTest

/// The journey in a real browser (Debian's headless Chromium, driven over WebDriver): typing,
/// clicking, and screenshots of the three pages. `SCREENSHOTS=docs/screenshots` keeps them
/// (scripts/update-screenshots.sh); otherwise they go to a temporary folder.
final class BrowserTests: XCTestCase {
    func testVisitorClassifiesAReviewAndGivesFeedbackInABrowser() throws {
        let stack = try Stack(workers: 2)
        defer { stack.stop() }
        let browser = try WebDriver(port: try Stack.freePort())
        defer { browser.quit() }
        let screenshots = ProcessInfo.processInfo.environment["SCREENSHOTS"] ?? stack.folder
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)

        try browser.open(stack.url("/"))
        XCTAssertEqual(try browser.title, "Movie review classifier")
        let review = "A gripping, beautifully acted film. The story moved me and the ending was perfect."
        try browser.type(review, into: "#review")
        try browser.screenshot().write(to: URL(fileURLWithPath: screenshots + "/1-form.png"))
        try browser.click("button[type=submit]")

        try waitFor(browser, ".verdict .label", toRead: "positive")
        XCTAssertEqual(try browser.text("blockquote.review"), review, "the marks add no text")
        let pushedUp = try browser.texts("blockquote.review mark.push-positive")
        XCTAssertFalse(pushedUp.isEmpty, "the words that pushed towards positive are marked")
        XCTAssertTrue(pushedUp.allSatisfy { review.lowercased().contains($0.lowercased()) }, "\(pushedUp)")
        XCTAssertTrue(try browser.isDisplayed("blockquote.review mark.push-positive"))
        XCTAssertTrue(try browser.isDisplayed("#marks-legend"))
        XCTAssertTrue(try browser.text("#marks-legend").hasPrefix("The marked words pushed the prediction most"))
        for side in ["positive", "negative"] {
            XCTAssertTrue(try browser.isDisplayed("#pushed-\(side)"), side)
            XCTAssertEqual(try browser.text("#pushed-\(side)"), "Pushed towards \(side)")
        }
        let positives = try browser.texts("section[aria-labelledby=pushed-positive] li")
        XCTAssertFalse(positives.isEmpty)
        XCTAssertTrue(positives.allSatisfy { $0.range(of: #"^.+ \+\d+\.\d\d$"#, options: .regularExpression) != nil }, "\(positives)")
        let negatives = try browser.texts("section[aria-labelledby=pushed-negative] li")
        XCTAssertTrue(negatives.allSatisfy { $0.range(of: #"^.+ \x{2212}\d+\.\d\d$"#, options: .regularExpression) != nil }, "\(negatives)")
        if negatives.isEmpty {
            XCTAssertEqual(try browser.text("section[aria-labelledby=pushed-negative] .none"), "No word pushed towards negative.")
        } else {
            XCTAssertTrue(try browser.isDisplayed("section[aria-labelledby=pushed-negative] li"))
        }
        try browser.screenshot().write(to: URL(fileURLWithPath: screenshots + "/2-results.png"))
        try browser.click("button[value=Incorrect]")

        try waitFor(browser, "h1", toRead: "thank you for your feedback!")
        try browser.screenshot().write(to: URL(fileURLWithPath: screenshots + "/3-thanks.png"))
        let rows = try FeedbackStore(path: stack.database).rows(after: 0, limit: 10)
        XCTAssertEqual(rows.map(\.review), [review])
        XCTAssertEqual(rows.map(\.sentiment), [0], "Incorrect flipped the positive prediction")
    }

    func testTheAdminPageRendersItsChartsInChromiumWithinTheContentSecurityPolicy() throws {
        let stack = try Stack(workers: 2, arguments: Stack.manyVisitors)
        defer { stack.stop() }
        let reviews = [
            ("A gripping, beautifully acted film. The story moved me and the ending was perfect.", "Correct"),
            ("Dull, predictable and far too long; the acting was wooden and the jokes fell flat.", "Correct"),
            ("I expected to hate it, but the second half won me over completely.", "Incorrect"),
            ("A superb cast wasted on a script with nothing to say.", "Incorrect"),
        ]
        for (index, (review, button)) in reviews.enumerated() {
            let results = try HTTP.post(stack.url("/results"), form: [("review", review)], from: "127.0.0.\(index + 10)")
            let thanks = try HTTP.post(
                stack.url("/thanks"), form: HiddenFields.of(results.body) + [("feedback_button", button)], from: "127.0.0.\(index + 10)")
            XCTAssertEqual(thanks.status, 200)
        }
        let browser = try WebDriver(port: try Stack.freePort())
        defer { browser.quit() }
        let screenshots = ProcessInfo.processInfo.environment["SCREENSHOTS"] ?? stack.folder
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)

        try browser.open(stack.url("/admin/"))
        XCTAssertEqual(try browser.title, "Admin · Movie review classifier")
        XCTAssertEqual(try browser.text("#model-title"), "The model")
        XCTAssertTrue(try browser.isDisplayed("figure.chart svg"), "the charts are drawn")
        XCTAssertGreaterThanOrEqual(try browser.texts("figure.chart svg rect").count, 2, "bars drawn as SVG geometry")
        XCTAssertTrue(try browser.isDisplayed("table caption"), "the numbers are in tables beside the charts")
        XCTAssertEqual(try browser.consoleMessages().filter { $0.hasPrefix("SEVERE") }, [], "no errors, nothing the policy refused")
        try browser.fullPageScreenshot().write(to: URL(fileURLWithPath: screenshots + "/4-admin.png"))
    }

    /// Waits for the page a click started loading: until `selector` reads `expected` (lowercased).
    private func waitFor(_ browser: WebDriver, _ selector: String, toRead expected: String) throws {
        try Stack.waitFor("\(selector) to read \(expected)", timeout: 15) {
            (try? browser.text(selector).lowercased()) == expected
        }
    }
}
