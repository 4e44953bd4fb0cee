import Foundation
import SentimentModel
import TestSupport
import XCTest

@testable import WebApp

/// The JSON API, in process: what a program that has only `www/openapi.json` in hand sends
/// and gets.
final class WebApplicationAPITests: XCTestCase {
    let signer = FormSigner(key: Array(repeating: 7, count: 32))
    var service = InMemorySentimentService()
    var logged: [String] = []
    var app: WebApplication!

    override func setUpWithError() throws {
        service = InMemorySentimentService()
        logged = []
        app = try WebApplication(
            service: service, templates: Browser.templates, signer: signer,
            openAPIDocument: Array(try Data(contentsOf: URL(fileURLWithPath: Browser.templates + "/../openapi.json")))
        ) { [unowned self] in logged.append($0) }
    }

    func post(_ path: String, json: Any, type: String = "application/json") throws -> HTTPResponse {
        post(path, bytes: Array(try JSONSerialization.data(withJSONObject: json)), type: type)
    }

    func post(_ path: String, bytes: [UInt8], type: String = "application/json") -> HTTPResponse {
        app.respond(to: HTTPRequest(method: "POST", path: path, headers: ["content-type": type], body: bytes, remoteAddress: "192.0.2.1"))
    }

    func object(_ response: HTTPResponse) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], String(decoding: response.body, as: UTF8.self))
    }

    /// A problem+json answer's status, its `error`, and that `error` repeats `detail`.
    func problem(_ response: HTTPResponse, file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int, error: String) {
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json", file: file, line: line)
        let body = try object(response)
        XCTAssertEqual(body["status"] as? Int, response.status, file: file, line: line)
        XCTAssertEqual(body["type"] as? String, "about:blank", file: file, line: line)
        XCTAssertEqual(body["error"] as? String, body["detail"] as? String, file: file, line: line)
        return (response.status, try XCTUnwrap(body["error"] as? String))
    }

    static let positive = "A wonderful, moving film with superb and brilliant acting."
    static let negative = "Awful, dreadful and boring: a terrible waste of time."

    func testPredictAnswersEachTextWithItsLabelScoreAndASignatureTheFormAccepts() throws {
        let response = try post("/v1/models/sentiment:predict", json: ["instances": [Self.positive, Self.negative]])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Type"), "application/json")
        let body = try object(response)
        XCTAssertEqual(body["model_name"] as? String, "sentiment")
        XCTAssertEqual(body["model_version"] as? String, "00000000.0")
        // Decoded by JSONDecoder, which reads numbers exactly (JSONSerialization rounds some).
        struct Prediction: Decodable {
            let label: String
            let score: Double
            let p_positive: Double
            let signature: String
        }
        struct Predictions: Decodable { let predictions: [Prediction] }
        let predictions = try JSONDecoder().decode(Predictions.self, from: Data(response.body)).predictions
        XCTAssertEqual(predictions.map(\.label), ["positive", "negative"])
        for (prediction, text) in zip(predictions, [Self.positive, Self.negative]) {
            let expected = service.classifier.classify(text)
            XCTAssertEqual(prediction.p_positive.bitPattern, expected.probabilityPositive.bitPattern, "exactly")
            XCTAssertEqual(prediction.score.bitPattern, expected.probability.bitPattern)
            XCTAssertEqual(prediction.signature, signer.signature(review: text, prediction: expected.sentiment), "the form's")
        }
    }

    func testExplainGivesTheStrongestFeaturesAndEveryWordsShareAddingUpToTheDecision() throws {
        let response = try post("/v1/models/sentiment:explain", json: ["instances": [Self.positive]])
        XCTAssertEqual(response.status, 200)
        let body = try object(response)
        let explanation = try XCTUnwrap((body["explanations"] as? [[String: Any]])?.first)
        let decision = try XCTUnwrap(explanation["decision"] as? Double)
        let bias = try XCTUnwrap(explanation["bias"] as? Double)
        XCTAssertEqual(decision, service.classifier.decision(Self.positive), accuracy: 1e-12)
        let words = try XCTUnwrap(explanation["words"] as? [[String: Any]])
        XCTAssertEqual(words.reduce(bias) { $0 + ($1["share"] as? Double ?? .nan) }, decision, accuracy: 1e-9)
        let utf8 = Array(Self.positive.utf8)
        for word in words {
            let (start, end) = (try XCTUnwrap(word["start"] as? Int), try XCTUnwrap(word["end"] as? Int))
            XCTAssertEqual(word["text"] as? String, String(decoding: utf8[start..<end], as: UTF8.self))
        }
        let features = try XCTUnwrap(explanation["features"] as? [[String: Any]])
        XCTAssertTrue(features.contains { $0["feature"] as? String == "wonderful" }, "\(features)")
        XCTAssertEqual((body["predictions"] as? [[String: Any]])?.first?["label"] as? String, "positive")
    }

    func testFeedbackOnAPredictionIsRecordedAsTheFormsIsAndMovesTheVersion() throws {
        let predicted = try object(try post("/v1/models/sentiment:predict", json: ["instances": [Self.positive]]))
        let prediction = try XCTUnwrap((predicted["predictions"] as? [[String: Any]])?.first)
        let response = try post(
            "/v1/models/sentiment:feedback",
            json: ["text": Self.positive, "label": prediction["label"]!, "signature": prediction["signature"]!, "truth": "negative"])
        XCTAssertEqual(response.status, 200, String(decoding: response.body, as: UTF8.self))
        let body = try object(response)
        XCTAssertEqual(body["outcome"] as? String, "counted")
        XCTAssertEqual(body["model_version"] as? String, "00000000.1", "after learning")
        XCTAssertEqual(service.feedback, [LabeledSample(text: Self.positive, sentiment: .negative)])
        XCTAssertEqual(service.clients, [signer.clientID(address: "192.0.2.1")], "the client is the address's keyed hash, as for the form")

        service.receipt = .held
        XCTAssertEqual(
            try object(
                try post(
                    "/v1/models/sentiment:feedback",
                    json: ["text": Self.positive, "label": prediction["label"]!, "signature": prediction["signature"]!, "truth": "positive"]))[
                    "outcome"] as? String, "held")
        service.receipt = .refused
        let refused = try post(
            "/v1/models/sentiment:feedback",
            json: ["text": Self.positive, "label": prediction["label"]!, "signature": prediction["signature"]!, "truth": "positive"])
        XCTAssertEqual(try problem(refused).status, 429)
        XCTAssertEqual(refused.header("Retry-After"), "3600")
    }

    func testFeedbackWithASignatureOfAnotherTextOrLabelIsForbidden() throws {
        let signature = signer.signature(review: Self.positive, prediction: .positive)
        for (text, label) in [(Self.negative, "positive"), (Self.positive, "negative")] {
            let response = try post(
                "/v1/models/sentiment:feedback", json: ["text": text, "label": label, "signature": signature, "truth": "negative"])
            XCTAssertEqual(try problem(response).status, 403)
        }
        XCTAssertEqual(service.feedback, [], "nothing recorded")
    }

    func testInvalidBodiesAre400WithAMessageSayingWhatIsWrong() throws {
        let cases: [(Any, String)] = [
            (["instances": []], "instances must hold 1 to 64 texts; it holds 0."),
            (["instances": Array(repeating: "fine", count: 65)], "instances must hold 1 to 64 texts; it holds 65."),
            (["instances": ["fine", ""]], "instances[1] must hold 1 to 20000 characters; it holds 0."),
            (["instances": ["a\u{0}b"]], "instances[0] holds U+0000, which is not taken."),
            (["instances": "one text"], "instances must be a list."),
            (["instances": [17]], "instances[0] must be a string."),
            (["texts": ["fine"]], "The member \"instances\" is missing."),
            ([1, 2], "The body must be an object."),
        ]
        for (body, error) in cases {
            let response = try post("/v1/models/sentiment:predict", json: body)
            XCTAssertEqual(try problem(response).status, 400, "\(body)")
            XCTAssertEqual(try problem(response).error, error, "\(body)")
        }
        XCTAssertEqual(
            try problem(post("/v1/models/sentiment:explain", bytes: Array("{\"instances\": [".utf8))).error,
            "The body is not valid JSON: the end of the text where a value was expected at byte 15.")
        let feedback = try post("/v1/models/sentiment:feedback", json: ["text": "fine", "label": "good", "signature": "x", "truth": "negative"])
        XCTAssertEqual(try problem(feedback).error, "label must be \"negative\" or \"positive\".")
    }

    func testWrongMediaTypeLargeBodyWrongMethodAndUnknownPathsAreTheirOwnStatuses() throws {
        XCTAssertEqual(try problem(post("/v1/models/sentiment:predict", json: ["instances": ["fine"]], type: "text/plain")).status, 415)
        XCTAssertEqual(
            try problem(post("/v1/models/sentiment:predict", json: ["instances": ["fine"]], type: "application/json; charset=latin-1")).status, 415)
        XCTAssertEqual(try post("/v1/models/sentiment:predict", json: ["instances": ["fine"]], type: "application/json; charset=UTF-8").status, 200)
        XCTAssertEqual(try problem(post("/v1/models/sentiment:predict", bytes: Array(repeating: 32, count: 256 * 1024 + 1))).status, 413)
        let get = app.respond(to: HTTPRequest(method: "GET", path: "/v1/models/sentiment:predict"))
        XCTAssertEqual(try problem(get).status, 405)
        XCTAssertEqual(get.header("Allow"), "POST")
        let delete = app.respond(to: HTTPRequest(method: "DELETE", path: "/v1/models/sentiment"))
        XCTAssertEqual(try problem(delete).status, 405)
        XCTAssertEqual(delete.header("Allow"), "GET, HEAD")
        XCTAssertEqual(try problem(app.respond(to: HTTPRequest(method: "GET", path: "/v1/models/other"))).status, 404)
        XCTAssertEqual(app.respond(to: HTTPRequest(method: "GET", path: "/elsewhere")).header("Content-Type"), "text/html; charset=utf-8")
    }

    func testTheModelLivenessReadinessAndTheDocumentAreServed() throws {
        let described = app.respond(to: HTTPRequest(method: "GET", path: "/v1/models/sentiment"))
        XCTAssertEqual(
            String(decoding: described.body, as: UTF8.self), #"{"model_version":"00000000.0","name":"sentiment","ready":true,"variant":"book"}"#,
            "members sorted, so that every worker answers the same bytes")
        let model = try object(described)
        XCTAssertEqual(model["name"] as? String, "sentiment")
        XCTAssertEqual(model["ready"] as? Bool, true)
        XCTAssertEqual(model["variant"] as? String, "book")
        XCTAssertEqual(model["model_version"] as? String, "00000000.0")
        XCTAssertEqual(app.respond(to: HTTPRequest(method: "GET", path: "/livez")).body, Array("ok\n".utf8))
        XCTAssertEqual(app.respond(to: HTTPRequest(method: "GET", path: "/readyz")).status, 200)
        let document = app.respond(to: HTTPRequest(method: "GET", path: "/openapi.json"))
        XCTAssertEqual(document.status, 200)
        XCTAssertEqual(try object(document)["openapi"] as? String, "3.1.0")

        service.degradation = "the feedback log does not answer"
        let degraded = app.respond(to: HTTPRequest(method: "GET", path: "/readyz"))
        XCTAssertEqual(degraded.status, 200, "a balancer keeps sending visitors to a host that answers them")
        XCTAssertEqual(String(decoding: degraded.body, as: UTF8.self), "degraded: the feedback log does not answer\n")
        service.degradation = nil

        struct Down: Error {}
        service.failure = Down()
        let notReady = app.respond(to: HTTPRequest(method: "GET", path: "/readyz"))
        XCTAssertEqual(notReady.status, 503)
        XCTAssertEqual(notReady.header("Retry-After"), "5")
        XCTAssertEqual(app.respond(to: HTTPRequest(method: "GET", path: "/livez")).status, 200, "liveness checks nothing else")
        let unavailable = try post("/v1/models/sentiment:predict", json: ["instances": [Self.positive]])
        XCTAssertEqual(try problem(unavailable).status, 503)
        XCTAssertEqual(unavailable.header("Retry-After"), "5")
    }

    func testAModelWithoutANumberJSONCanCarryIs503AndSaysSoInTheLog() throws {
        let broken = LogisticRegression(weights: [Double](repeating: 0, count: 16), scale: 1, intercept: .nan, samplesSeen: 0, alpha: 1e-4)
        service = InMemorySentimentService(classifier: SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 16), regression: broken))
        app = try WebApplication(service: service, templates: Browser.templates, signer: signer) { [unowned self] in logged.append($0) }
        for path in ["/v1/models/sentiment:predict", "/v1/models/sentiment:explain"] {
            let response = try post(path, json: ["instances": [Self.positive]])
            XCTAssertEqual(try problem(response).status, 503, path)
        }
        XCTAssertEqual(logged.count, 2)
        XCTAssertTrue(logged.allSatisfy { $0.contains("NaN or an infinity") }, "\(logged)")
    }
}
