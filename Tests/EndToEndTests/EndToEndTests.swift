import FeedbackStore
import Foundation
import Synchronization
import TestSupport
import XCTest

/// The application as a visitor reaches it: HTTP to a real nginx, FastCGI to real worker
/// processes, a real SQLite file.
final class EndToEndTests: XCTestCase {
    var stacks: [Stack] = []

    override func tearDown() {
        for stack in stacks { stack.stop() }
        stacks = []
    }

    func start(workers: Int = 2, database: String? = nil, arguments: [String] = []) throws -> Stack {
        let stack = try Stack(workers: workers, database: database, arguments: arguments)
        stacks.append(stack)
        return stack
    }

    func storedRows(_ stack: Stack) throws -> [FeedbackRow] {
        try FeedbackStore(path: stack.database).rows(after: 0, limit: 100_000)
    }

    /// Classifies `review` and sends the feedback `button` ("Correct" or "Incorrect") from the
    /// results page, as a browser would.
    @discardableResult
    func giveFeedback(_ stack: Stack, review: String, button: String) throws -> HTTPResult {
        let results = try HTTP.post(stack.url("/results"), form: [("review", review)])
        XCTAssertEqual(results.status, 200, results.body)
        return try HTTP.post(stack.url("/thanks"), form: HiddenFields.of(results.body) + [("feedback_button", button)])
    }

    func testJourneyFromFormToResultsToFeedbackStoresTheRightRows() throws {
        let stack = try start()
        let form = try HTTP.get(stack.url("/"))
        XCTAssertEqual(form.status, 200)
        XCTAssertTrue(form.body.contains("<form"), form.body)
        XCTAssertTrue(form.body.contains("/static/style.css"))

        let positive = "A wonderful, moving film with superb acting. I loved every minute."
        let results = try HTTP.post(stack.url("/results"), form: [("review", positive)])
        XCTAssertEqual(results.status, 200)
        XCTAssertTrue(results.body.contains("positive"), results.body)
        XCTAssertTrue(results.body.contains("A wonderful, moving film"), results.body)
        XCTAssertEqual(results.headers["cache-control"], "no-store")

        let correct = try HTTP.post(stack.url("/thanks"), form: HiddenFields.of(results.body) + [("feedback_button", "Correct")])
        XCTAssertEqual(correct.status, 200, correct.body)
        XCTAssertTrue(correct.body.lowercased().contains("thank"), correct.body)

        let negative = "Dreadful, boring and far too long. The worst film I have seen this year."
        XCTAssertEqual(try giveFeedback(stack, review: negative, button: "Incorrect").status, 200)

        let rows = try storedRows(stack)
        XCTAssertEqual(rows.map(\.review), [positive, negative])
        XCTAssertEqual(rows.map(\.sentiment), [1, 1], "Correct keeps the prediction (positive); Incorrect flips it (negative to positive)")
        XCTAssertTrue(rows.allSatisfy { $0.date.count == 19 }, "\(rows.map(\.date))")
    }

    func testErrorPagesComeBackWithTheRightStatus() throws {
        let stack = try start(workers: 1)
        let missing = try HTTP.get(stack.url("/no-such-page"))
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.body.contains("<html"), missing.body)

        let wrongMethod = try HTTP.get(stack.url("/results"))
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertEqual(wrongMethod.headers["allow"], "POST")

        let tooShort = try HTTP.post(stack.url("/results"), form: [("review", "too short")])
        XCTAssertEqual(tooShort.status, 400)
        XCTAssertTrue(tooShort.body.contains("too short"), "the text is kept in the form")

        let unsigned = try HTTP.post(
            stack.url("/thanks"), form: [("review", "A forged review of some length"), ("prediction", "1"), ("feedback_button", "Correct")])
        XCTAssertEqual(unsigned.status, 400)

        let huge = try HTTP.post(stack.url("/results"), body: Data(("review=" + String(repeating: "a", count: 300_000)).utf8))
        XCTAssertEqual(huge.status, 413)

        let head = try HTTP.get(stack.url("/"), method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, "")
        XCTAssertEqual(try storedRows(stack).count, 0, "nothing stored by any of these")
    }

    func testHeadAnnouncesTheLengthOfTheGetBodyWithoutSendingIt() throws {
        let stack = try start(workers: 1)
        let get = try HTTP.get(stack.url("/"))
        let head = try HTTP.get(stack.url("/"), method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, "")
        XCTAssertEqual(head.headers["content-length"], String(get.body.utf8.count))
        XCTAssertEqual(head.headers["content-type"], get.headers["content-type"])
    }

    func testStaticStylesheetIsServedByNginx() throws {
        let stack = try start(workers: 1)
        let css = try HTTP.get(stack.url("/static/style.css"))
        XCTAssertEqual(css.status, 200)
        XCTAssertEqual(css.headers["content-type"], "text/css")
        XCTAssertEqual(css.headers["cache-control"], "public, max-age=3600")
        let onDisk = try String(contentsOfFile: Stack.repository + "/www/static/style.css", encoding: .utf8)
        XCTAssertEqual(css.body, onDisk)
    }

    func testTwoWorkersConvergeOnIdenticalPredictionsAfterFeedbackThroughEach() throws {
        // Two one-worker stacks on one database: requests to each port reach a known worker.
        let first = try start(workers: 1)
        let second = try start(workers: 1, database: first.database)
        let review = "An odd little film, slow at first, with an ending that divides people."
        try giveFeedback(first, review: review, button: "Incorrect")
        try giveFeedback(second, review: "Gripping from start to finish, the cast is excellent.", button: "Correct")
        try giveFeedback(first, review: "I expected more from this director; a tedious mess.", button: "Correct")
        for text in [review, "A perfectly average evening at the cinema, nothing more.", "Superb, moving, unforgettable and beautifully shot."] {
            let a = try HTTP.post(first.url("/results"), form: [("review", text)])
            let b = try HTTP.post(second.url("/results"), form: [("review", text)])
            XCTAssertEqual(a.status, 200)
            XCTAssertEqual(a.body, b.body, "same label, same probability, same signed fields")
        }
        XCTAssertEqual(try storedRows(first).count, 3)
    }

    func testConcurrentFeedbackFromEightClientsLosesNoRow() throws {
        let stack = try start(workers: 2, arguments: Stack.manyVisitors)
        let results = try HTTP.post(stack.url("/results"), form: [("review", "Concurrent clients all liked this one very much.")])
        let fields = HiddenFields.of(results.body) + [("feedback_button", "Correct")]
        let acknowledged = Atomic<Int>(0)
        let thanks = stack.url("/thanks")
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<25 {
                if let response = try? HTTP.post(thanks, form: fields), response.status == 200 {
                    acknowledged.add(1, ordering: .relaxed)
                }
            }
        }
        XCTAssertEqual(acknowledged.load(ordering: .relaxed), 200)
        XCTAssertEqual(try storedRows(stack).count, acknowledged.load(ordering: .relaxed))
    }
}
