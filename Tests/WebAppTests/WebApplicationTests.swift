import Foundation
import SentimentModel
@testable import WebApp
import XCTest

/// A real classifier behind the service protocol; feedback kept in memory instead of SQLite
/// (the database has tests of its own).
final class InMemorySentimentService: SentimentService {
    var classifier: SentimentClassifier
    var feedback: [(review: String, sentiment: Sentiment)] = []
    var failure: Error?

    init() {
        classifier = SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 12))
        let texts = ["wonderful superb moving film", "awful dreadful boring film"]
        for _ in 0..<5 {
            classifier.partialFit(texts.enumerated().map { LabeledSample(text: $1, sentiment: $0 == 0 ? .positive : .negative) })
        }
    }

    func classify(_ review: String) throws -> Prediction {
        if let failure { throw failure }
        return classifier.classify(review)
    }

    func recordFeedback(review: String, sentiment: Sentiment) throws {
        if let failure { throw failure }
        feedback.append((review, sentiment))
        classifier.learn(review, sentiment: sentiment)
    }
}

struct DatabaseDown: Error {}

final class WebApplicationTests: XCTestCase {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/www/templates"
    var service = InMemorySentimentService()
    let signer = FormSigner(key: Array(repeating: 7, count: 32))
    var logged: [String] = []
    var app: WebApplication!

    override func setUpWithError() throws {
        service = InMemorySentimentService()
        logged = []
        app = try WebApplication(service: service, templates: Self.templates, signer: signer) { [unowned self] in logged.append($0) }
    }

    func post(_ path: String, _ body: String, type: String = "application/x-www-form-urlencoded") -> HTTPResponse {
        app.respond(to: HTTPRequest(method: "POST", path: path, headers: ["content-type": type], body: Array(body.utf8)))
    }

    func text(_ response: HTTPResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    func feedbackBody(review: String, prediction: Sentiment, button: String, signature: String? = nil) -> String {
        let signature = signature ?? signer.signature(review: review, prediction: prediction)
        return "review=\(encode(review))&prediction=\(prediction.rawValue)&signature=\(signature)&feedback_button=\(button)"
    }

    func testFormPageAnswersGetAndHeadWithSecurityHeaders() {
        let page = app.respond(to: HTTPRequest(method: "GET", path: "/"))
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(text(page).contains("<form method=\"post\" action=\"/results\""))
        XCTAssertTrue(text(page).contains("<label for=\"review\">"))
        XCTAssertEqual(page.header("content-type"), "text/html; charset=utf-8")
        XCTAssertEqual(page.header("x-content-type-options"), "nosniff")
        XCTAssertEqual(page.header("referrer-policy"), "no-referrer")
        XCTAssertTrue(page.header("content-security-policy")?.contains("default-src 'none'") ?? false)
        XCTAssertFalse(page.header("content-security-policy")?.contains("script-src") ?? true, "no script allowed at all")
        let head = app.respond(to: HTTPRequest(method: "HEAD", path: "/"))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("content-type"), page.header("content-type"))
    }

    func testUnknownPathIs404AndWrongMethodIs405WithAllow() {
        XCTAssertEqual(app.respond(to: HTTPRequest(method: "GET", path: "/admin")).status, 404)
        let getResults = app.respond(to: HTTPRequest(method: "GET", path: "/results"))
        XCTAssertEqual(getResults.status, 405)
        XCTAssertEqual(getResults.header("allow"), "POST")
        let postForm = app.respond(to: HTTPRequest(method: "POST", path: "/"))
        XCTAssertEqual(postForm.status, 405)
        XCTAssertEqual(postForm.header("allow"), "GET, HEAD")
        XCTAssertEqual(app.respond(to: HTTPRequest(method: "DELETE", path: "/thanks")).header("allow"), "POST")
    }

    func testResultsShowLabelProbabilityAndSignedFeedbackForm() {
        let review = "A wonderful and superb film, truly moving."
        let response = post("/results", "review=\(encode(review))")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("cache-control"), "no-store")
        let page = text(response)
        let prediction = service.classifier.classify(review)
        XCTAssertEqual(prediction.sentiment, .positive)
        XCTAssertTrue(page.contains("<span class=\"label\">positive</span>"), page)
        let percent = (prediction.probability * 10_000).rounded() / 100
        XCTAssertTrue(page.contains(String(format: "%.2f%%", percent)), page)
        XCTAssertTrue(page.contains("<meter"), page)
        XCTAssertTrue(page.contains("name=\"signature\" value=\"\(signer.signature(review: review, prediction: .positive))\""), page)
        XCTAssertTrue(page.contains("value=\"Correct\"") && page.contains("value=\"Incorrect\""))
        XCTAssertTrue(page.contains("Submit another review"))
    }

    func testCorrectFeedbackStoresThePredictionAndIncorrectFlipsIt() {
        let review = "A wonderful and superb film, truly moving."
        let correct = post("/thanks", feedbackBody(review: review, prediction: .positive, button: "Correct"))
        XCTAssertEqual(correct.status, 200)
        XCTAssertTrue(text(correct).contains("Thank you"))
        let incorrect = post("/thanks", feedbackBody(review: review, prediction: .positive, button: "Incorrect"))
        XCTAssertEqual(incorrect.status, 200)
        XCTAssertEqual(service.feedback.map(\.sentiment), [.positive, .negative])
        XCTAssertEqual(service.feedback.map(\.review), [review, review])
    }

    func testReviewValidationKeepsTheTextAndExplains() {
        let cases: [(String, String)] = [
            ("", "Please write a review."),
            ("review=", "Please write a review."),
            ("review=+++%0A", "Please write a review."),
            ("review=" + encode("  14 characters "), "at least 15 characters"),
            ("review=" + String(repeating: "a", count: 20_001), "under 20000 characters"),
        ]
        for (body, message) in cases {
            let response = post("/results", body)
            XCTAssertEqual(response.status, 400, body.prefix(30).description)
            XCTAssertTrue(text(response).contains(message), "\(body.prefix(30)): \(text(response))")
            XCTAssertTrue(text(response).contains("aria-invalid=\"true\""))
        }
        XCTAssertTrue(text(post("/results", "review=" + encode("  14 characters "))).contains(">  14 characters </textarea>"), "the text is kept")
        XCTAssertEqual(post("/results", "review=" + encode("exactly 15 char")).status, 200)
        XCTAssertTrue(service.feedback.isEmpty)
    }

    func testBadFormEncodingIs400WrongTypeIs415LargeBodyIs413() {
        XCTAssertEqual(post("/results", "review=bad%zzescape and more").status, 400)
        XCTAssertEqual(post("/results", "review=cut%4").status, 400)
        XCTAssertEqual(post("/results", "review=%C3%28invalid+utf8+here").status, 400)
        XCTAssertEqual(post("/results", "{\"review\": \"a json review, long enough\"}", type: "application/json").status, 415)
        XCTAssertEqual(post("/results", "review=" + encode("with a charset, long enough"), type: "application/x-www-form-urlencoded; charset=UTF-8").status, 200)
        XCTAssertEqual(post("/results", "review=" + String(repeating: "a", count: 256 * 1024)).status, 413)
    }

    func testFormDecodingHandlesPlusEscapesAndRepeatedNames() throws {
        XCTAssertEqual(try FormDecoding.fields(of: Array("a=1+2%2B3&b=%E2%9C%93&a=ignored&flag".utf8)), ["a": "1 2+3", "b": "✓", "flag": ""])
        XCTAssertEqual(try FormDecoding.fields(of: []), [:])
        XCTAssertThrowsError(try FormDecoding.fields(of: Array("a=%".utf8)))
        XCTAssertThrowsError(try FormDecoding.fields(of: Array("a=%FF".utf8)))
    }

    func testHostileInputIsEscapedEverywhere() {
        let hostile = "<script>alert(1)</script> \"quoted\" onmouseover='x' & more text"
        let page = text(post("/results", "review=\(encode(hostile))"))
        XCTAssertFalse(page.contains("<script>alert(1)"), page)
        XCTAssertFalse(page.contains("onmouseover='x'"), page)
        XCTAssertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; onmouseover=&#39;x&#39; &amp; more text"), page)
        let form = text(post("/results", "review=\(encode("<b>short</b>"))"))
        XCTAssertFalse(form.contains("<b>short</b>"))
    }

    func testFeedbackWithoutAValidSignatureIsRefusedAndNothingStored() {
        let review = "A wonderful and superb film, truly moving."
        let other = FormSigner(key: Array(repeating: 8, count: 32)).signature(review: review, prediction: .positive)
        let bodies = [
            "review=\(encode(review))&prediction=1&feedback_button=Correct",
            feedbackBody(review: review, prediction: .positive, button: "Correct", signature: String(repeating: "0", count: 64)),
            feedbackBody(review: review, prediction: .positive, button: "Correct", signature: other),
            feedbackBody(review: review, prediction: .positive, button: "Correct", signature: "nothex"),
            feedbackBody(review: review, prediction: .positive, button: "Correct").replacingOccurrences(of: "prediction=1", with: "prediction=0"),
            feedbackBody(review: review, prediction: .positive, button: "Correct").replacingOccurrences(of: "wonderful", with: "dreadful"),
            feedbackBody(review: review, prediction: .positive, button: "Maybe"),
        ]
        for body in bodies {
            XCTAssertEqual(post("/thanks", body).status, 400, body)
        }
        XCTAssertTrue(service.feedback.isEmpty)
    }

    func testServiceFailureIs503AndLogged() {
        service.failure = DatabaseDown()
        let results = post("/results", "review=" + encode("a perfectly fine review text"))
        XCTAssertEqual(results.status, 503)
        XCTAssertTrue(text(results).contains("Temporarily unavailable"))
        XCTAssertEqual(post("/thanks", feedbackBody(review: "a perfectly fine review text", prediction: .positive, button: "Correct")).status, 503)
        XCTAssertEqual(logged.count, 2)
    }

    func testKeyFileIsCreatedPrivateAndReused() throws {
        let folder = NSTemporaryDirectory() + "webapp-key-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/feedback.key"
        let first = try FormSigner.loadOrCreateKey(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, 32)
        let second = try FormSigner.loadOrCreateKey(at: path)
        XCTAssertEqual(first.signature(review: "x", prediction: .negative), second.signature(review: "x", prediction: .negative))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["feedback.key"], "no temporary file left")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try FormSigner.loadOrCreateKey(at: path)) { error in
            XCTAssertTrue("\(error)".contains("32 bytes, this file has 3"), "\(error)")
        }
    }

    func testSignaturesDependOnReviewAndPrediction() {
        let a = signer.signature(review: "same text", prediction: .positive)
        XCTAssertEqual(a.count, 64)
        XCTAssertNotEqual(a, signer.signature(review: "same text", prediction: .negative))
        XCTAssertNotEqual(a, signer.signature(review: "same text ", prediction: .positive))
        XCTAssertTrue(signer.isValid(a, review: "same text", prediction: .positive))
        let tampered = String(a.dropLast()) + (a.hasSuffix("0") ? "1" : "0")
        XCTAssertFalse(signer.isValid(tampered, review: "same text", prediction: .positive))
    }
}

final class HTMLEscapingTests: XCTestCase {
    func testEscapesTheFiveCharactersAndKeepsEverythingElse() {
        let escaping = HTMLEscaping()
        XCTAssertEqual(escaping.escapeText("<a href=\"x\">Tom & Jerry's</a> café ✓"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; café ✓")
        XCTAssertEqual(escaping.escapeText("nothing to escape, naïve"), "nothing to escape, naïve")
        XCTAssertEqual(escaping.escapeText(""), "")
    }
}
