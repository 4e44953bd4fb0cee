import FeedbackStore
import Foundation
import Glibc
import TestSupport
import XCTest

/// The JSON API through nginx: its OpenAPI document is valid OpenAPI 3.1, schemathesis finds
/// nothing against the running server (every check, the stateful phase following the link from
/// a prediction to its feedback), nginx's own refusals are problem+json too, and API feedback
/// lands beside form feedback under the same rules.
final class APITests: XCTestCase {
    var stacks: [Stack] = []

    override func tearDown() {
        for stack in stacks { stack.stop() }
        stacks = []
    }

    func start() throws -> Stack {
        let stack = try Stack(workers: 2, arguments: Stack.manyVisitors)
        stacks.append(stack)
        return stack
    }

    /// schemathesis and openapi-spec-validator, from PyPI: `./test.sh` installs them into
    /// `.build/api-venv` (`MOVIECLASSIFIER_API_TOOLS` names another folder of them).
    static var tools: String {
        ProcessInfo.processInfo.environment["MOVIECLASSIFIER_API_TOOLS"] ?? Stack.repository + "/.build/api-venv/bin"
    }

    static func tool(_ name: String) throws -> String {
        let path = tools + "/" + name
        try SystemComponent.require(SystemComponent(program: path, package: "python3-venv, then pip install schemathesis openapi-spec-validator"))
        return path
    }

    func testTheOpenAPIDocumentIsValidOpenAPI31AndTheServerServesItAsItIs() throws {
        let document = Stack.repository + "/www/openapi.json"
        let validated = try ProcessSpawn.run(try Self.tool("openapi-spec-validator"), [document], seconds: 60, includingErrors: true)
        XCTAssertEqual(validated.status, 0, validated.output)
        let stack = try start()
        let served = try HTTP.get(stack.url("/openapi.json"))
        XCTAssertEqual(served.status, 200)
        XCTAssertEqual(served.headers["content-type"], "application/json")
        XCTAssertEqual(served.body, try String(contentsOfFile: document, encoding: .utf8))
    }

    func testSchemathesisFindsNothingWithEveryCheckIncludingSignedFeedbackThroughTheLink() throws {
        let schemathesis = try Self.tool("st")
        let stack = try start()
        let result = try ProcessSpawn.run(
            schemathesis,
            [
                "--config-file", Stack.repository + "/Tests/EndToEndTests/schemathesis.toml",
                "run", stack.url("/openapi.json").absoluteString, "--checks", "all", "--max-examples", "25", "--seed", "1",
                "--generation-database", "none", "--request-timeout", "10", "--max-failures", "20",
            ], environment: ["NO_COLOR=1", "HOME=/tmp"], seconds: 600, includingErrors: true)
        XCTAssertEqual(result.status, 0, result.output)
        for phase in ["Examples", "Coverage", "Fuzzing", "Stateful"] {
            XCTAssertTrue(result.output.contains("✅ \(phase)"), "the \(phase) phase ran and passed: \(result.output)")
        }
        // The stateful phase sent signed feedback: rows from the API, which schemathesis cannot sign.
        XCTAssertGreaterThan(try FeedbackStore(path: stack.database).latestID(), 0, "feedback followed the link from :predict")
    }

    func testNginxRefusesATraceAndAnOversizedBodyInProblemJSON() throws {
        let stack = try start()
        let trace = try HTTP.send(method: "TRACE", url: stack.url("/v1/models/sentiment:predict"), contentType: nil, body: Data())
        XCTAssertEqual(trace.status, 405)
        XCTAssertEqual(trace.headers["allow"], "POST")
        XCTAssertEqual(trace.headers["content-type"], "application/problem+json")
        let large = try HTTP.post(
            stack.url("/v1/models/sentiment:predict"), body: Data(repeating: 32, count: 300 * 1024), contentType: "application/json")
        XCTAssertEqual(large.status, 413)
        XCTAssertEqual(large.headers["content-type"], "application/problem+json")
        XCTAssertTrue(large.body.contains("\"status\":413"), large.body)
    }

    func testAPIFeedbackAndFormFeedbackLandInOneTableUnderOneClientAndTheSameRules() throws {
        let stack = try start()
        let review = "An honest, gripping film with a superb cast; I was moved."
        let predicted = try HTTP.post(
            stack.url("/v1/models/sentiment:predict"), body: try JSONSerialization.data(withJSONObject: ["instances": [review]]),
            contentType: "application/json")
        XCTAssertEqual(predicted.status, 200, predicted.body)
        let prediction = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(predicted.body.utf8)) as? [String: Any])?["predictions"] as? [[String: Any]]
        ).first
        let feedback = try HTTP.post(
            stack.url("/v1/models/sentiment:feedback"),
            body: try JSONSerialization.data(withJSONObject: [
                "text": review, "label": prediction?["label"] ?? "", "signature": prediction?["signature"] ?? "", "truth": "negative",
            ]), contentType: "application/json")
        XCTAssertEqual(feedback.status, 200, feedback.body)
        XCTAssertTrue(feedback.body.contains("\"outcome\":\"counted\""), feedback.body)

        let results = try HTTP.post(stack.url("/results"), form: [("review", review)])
        let thanks = try HTTP.post(stack.url("/thanks"), form: HiddenFields.of(results.body) + [("feedback_button", "Correct")])
        XCTAssertEqual(thanks.status, 200)

        let rows = try FeedbackStore(path: stack.database).rows(after: 0, limit: 10)
        XCTAssertEqual(rows.map(\.review), [review, review])
        XCTAssertEqual(rows.map(\.sentiment), [0, prediction?["label"] as? String == "positive" ? 1 : 0])
        let clients = try FeedbackStore(path: stack.database).clients(limit: 10)
        XCTAssertEqual(clients.count, 1, "one client, whichever door: \(clients)")
    }
}
