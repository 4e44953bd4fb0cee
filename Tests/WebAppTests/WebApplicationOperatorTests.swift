import SentimentModel
import Telemetry
import TestSupport
import XCTest

@testable import WebApp

/// The operator's private routes, in process: who may see them, and what the application
/// counts for them.
final class WebApplicationOperatorTests: XCTestCase {
    final class Views: OperatorViews {
        var adminFails = false
        func status(_ format: StatusFormat) -> String? { format.json ? "{\"pool\":\"p\"}" : "pool: p\n" }
        func metrics() -> String { "m 1\n" }
        func adminPage() throws -> [UInt8] {
            struct Unreadable: Error {}
            if adminFails { throw Unreadable() }
            return Array("<p>admin</p>".utf8)
        }
    }

    final class Counts: UsageCounter {
        var predictions: [Sentiment] = []
        var feedback: [FeedbackReceipt] = []
        func predicted(_ sentiment: Sentiment) { predictions.append(sentiment) }
        func receivedFeedback(_ receipt: FeedbackReceipt) { feedback.append(receipt) }
    }

    let signer = FormSigner(key: Array(repeating: 7, count: 32))
    let views = Views()
    let counts = Counts()

    func application(views: (any OperatorViews)?) throws -> WebApplication {
        try WebApplication(service: InMemorySentimentService(), templates: Browser.templates, signer: signer, operatorViews: views, usage: counts)
    }

    func get(_ app: WebApplication, _ path: String, query: String = "", isPublic: Bool = false, method: String = "GET") -> HTTPResponse {
        app.respond(to: HTTPRequest(method: method, path: path, query: query, remoteAddress: "127.0.0.1", isPublic: isPublic))
    }

    func testPrivateRoutesAnswerARequestNotMarkedPublic() throws {
        let app = try application(views: views)
        let status = get(app, "/status")
        XCTAssertEqual(status.status, 200)
        XCTAssertEqual(status.header("Content-Type"), "text/plain; charset=utf-8")
        XCTAssertEqual(String(decoding: status.body, as: UTF8.self), "pool: p\n")
        let json = get(app, "/status", query: "json&full")
        XCTAssertEqual(json.header("Content-Type"), "application/json")
        XCTAssertEqual(String(decoding: json.body, as: UTF8.self), "{\"pool\":\"p\"}")
        let metrics = get(app, "/metrics")
        XCTAssertEqual(metrics.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertEqual(metrics.header("Cache-Control"), "no-store")
        let admin = get(app, "/admin/")
        XCTAssertEqual(admin.status, 200)
        XCTAssertEqual(admin.header("Content-Security-Policy"), PageHeaders.contentSecurityPolicy)
    }

    func testARequestMarkedPublicIsRefusedEveryPrivateRouteAsIfItDidNotExist() throws {
        let app = try application(views: views)
        for path in ["/status", "/metrics", "/admin/"] {
            let response = get(app, path, isPublic: true)
            XCTAssertEqual(response.status, 404, path)
            XCTAssertFalse(String(decoding: response.body, as: UTF8.self).contains("pool"), path)
        }
    }

    func testWithTheRoutesOffEveryPrivateRouteIsNotFound() throws {
        let app = try application(views: nil)
        for path in ["/status", "/metrics", "/admin/"] { XCTAssertEqual(get(app, path).status, 404, path) }
    }

    func testPrivateRoutesTakeOnlyGetAndHead() throws {
        let app = try application(views: views)
        let post = get(app, "/metrics", method: "POST")
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.header("Allow"), "GET, HEAD")
        XCTAssertEqual(get(app, "/metrics", method: "HEAD").status, 200)
    }

    func testAnAdminPageThatCannotBeMadeIsA503() throws {
        views.adminFails = true
        XCTAssertEqual(try application(views: views).respond(to: HTTPRequest(method: "GET", path: "/admin/")).status, 503)
    }

    func testEveryPredictionAndFeedbackIsCountedWhateverRouteAnswersIt() throws {
        let app = try application(views: views)
        let results = app.respond(
            to: HTTPRequest(
                method: "POST", path: "/results", headers: ["content-type": "application/x-www-form-urlencoded"],
                body: Array(FormEncoding.encode([("review", "A wonderful, moving film with superb and brilliant acting.")]).utf8)))
        XCTAssertEqual(results.status, 200)
        let batch = app.respond(
            to: HTTPRequest(
                method: "POST", path: "/v1/models/sentiment:predict", headers: ["content-type": "application/json"],
                body: Array(#"{"instances":["superb and brilliant","awful, dreadful, boring"]}"#.utf8)))
        XCTAssertEqual(batch.status, 200)
        XCTAssertEqual(counts.predictions, [.positive, .positive, .negative])
        let review = "Awful, dreadful and boring: a terrible waste of time."
        let feedback = app.respond(
            to: HTTPRequest(
                method: "POST", path: "/thanks", headers: ["content-type": "application/x-www-form-urlencoded"],
                body: Array(
                    FormEncoding.encode([
                        ("review", review), ("prediction", "0"), ("signature", signer.signature(review: review, prediction: .negative)),
                        ("feedback_button", "Correct"),
                    ]).utf8), remoteAddress: "192.0.2.1"))
        XCTAssertEqual(feedback.status, 200, String(decoding: feedback.body, as: UTF8.self))
        XCTAssertEqual(counts.feedback, [.counted])
    }
}
