import Foundation
import Glibc
import TestSupport
import XCTest

/// Two "hosts" (two pools, each behind its own nginx) sharing one feedback log in PostgreSQL
/// and one form-signing key file: feedback given on one is learned by the other, and a page
/// signed by one is accepted by the other, as behind a balancer.
final class MultiHostTests: XCTestCase {
    var stacks: [Stack] = []
    var server: PostgreSQLServer?

    override func tearDown() {
        for stack in stacks { stack.stop() }
        stacks = []
        server?.remove()
        server = nil
    }

    static let review = "A gripping, beautifully acted film; the story moved me and the ending was perfect."

    /// P(positive) of `text` as the host's API gives it.
    func probability(_ stack: Stack, _ text: String) throws -> Double {
        let body = try JSONSerialization.data(withJSONObject: ["instances": [text]])
        let response = try HTTP.post(stack.url("/v1/models/sentiment:predict"), body: body, contentType: "application/json")
        XCTAssertEqual(response.status, 200, response.body)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
        let predictions = try XCTUnwrap(object["predictions"] as? [[String: Any]])
        return try XCTUnwrap(predictions.first?["p_positive"] as? Double)
    }

    func testFeedbackGivenOnOneHostIsLearnedByTheOtherAndItsPagesAreAcceptedThere() throws {
        let server = try PostgreSQLServer()
        self.server = server
        let keys = try ScratchFolder("movieclassifier-shared-key")
        defer { keys.remove() }
        let arguments = ["--key", keys.path + "/feedback.key"] + Stack.manyVisitors
        let hostA = try Stack(workers: 2, database: server.url, arguments: arguments)
        stacks.append(hostA)
        let hostB = try Stack(workers: 2, database: server.url, arguments: arguments)
        stacks.append(hostB)
        let before = try probability(hostA, Self.review)
        XCTAssertEqual(try probability(hostB, Self.review), before)

        // A results page of host A, its feedback sent to host B (a balancer may do that).
        let page = try HTTP.post(hostA.url("/results"), form: [("review", Self.review)])
        XCTAssertEqual(page.status, 200)
        let thanks = try HTTP.post(hostB.url("/thanks"), form: HiddenFields.of(page.body) + [("feedback_button", "Correct")])
        XCTAssertEqual(thanks.status, 200, "the shared key: host B checks what host A signed")
        // More feedback through host A, through the API.
        let signature = try XCTUnwrap(HiddenFields.of(page.body).first { $0.0 == "signature" }?.1)
        let feedback = try JSONSerialization.data(withJSONObject: [
            "text": Self.review, "label": "positive", "signature": signature, "truth": "positive",
        ])
        XCTAssertEqual(
            try HTTP.post(hostA.url("/v1/models/sentiment:feedback"), body: feedback, contentType: "application/json", from: "127.0.0.3").status,
            200)

        // Both hosts apply both rows (NOTIFY wakes their workers; a worker checks before it answers).
        func version(_ stack: Stack) throws -> String {
            let response = try HTTP.get(stack.url("/v1/models/sentiment"))
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
            return try XCTUnwrap(object["model_version"] as? String)
        }
        try Stack.waitFor("both hosts to apply the two rows", timeout: 15) {
            try [hostA, hostB, hostA, hostB].allSatisfy { try version($0).hasSuffix(".2") }
        }
        XCTAssertEqual(try version(hostA), try version(hostB))
        let learned = try probability(hostA, Self.review)
        XCTAssertEqual(try probability(hostB, Self.review), learned, "the same model on both hosts, bit for bit")
        XCTAssertNotEqual(learned, before, "the feedback was learned")

        // The admin tool reads the same log.
        let tool = Stack.products.appendingPathComponent("movieclassifier").path
        let list = try ProcessSpawn.run(tool, ["feedback", "list", "--db", server.url], includingErrors: true)
        XCTAssertEqual(list.status, 0, list.output)
        XCTAssertEqual(list.output.components(separatedBy: "A gripping").count - 1, 2, list.output)
    }

    func testAPostgreSQLDatabaseWithoutASharedKeyIsRefusedAtStartSayingWhy() throws {
        let result = try ProcessSpawn.run(
            Stack.products.appendingPathComponent("movieclassifier-fcgi").path,
            ["--listen", "/tmp/unused.sock", "--db", "postgresql://user@/feedback?host=/tmp/none"], environment: ["MOVIECLASSIFIER_KEY="],
            includingErrors: true)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("give the form-signing key with --key (or MOVIECLASSIFIER_KEY)"), result.output)
    }

    func testWhilePostgreSQLIsDownPagesAreAnsweredFeedbackIsRefusedAndBothWorkWhenItIsBack() throws {
        let server = try PostgreSQLServer()
        self.server = server
        let keys = try ScratchFolder("movieclassifier-shared-key")
        defer { keys.remove() }
        let host = try Stack(workers: 2, database: server.url, arguments: ["--key", keys.path + "/feedback.key"] + Stack.manyVisitors)
        stacks.append(host)
        let page = try HTTP.post(host.url("/results"), form: [("review", Self.review)])
        let feedback = HiddenFields.of(page.body) + [("feedback_button", "Correct")]

        try server.stop(mode: .immediate)
        for _ in 0..<6 { XCTAssertEqual(try HTTP.post(host.url("/results"), form: [("review", Self.review)]).status, 200) }
        let refused = try HTTP.post(host.url("/thanks"), form: feedback)
        XCTAssertEqual(refused.status, 503, "nothing acknowledged that is not committed")
        XCTAssertTrue(host.responderLog.contains("answering with the model this worker holds"), host.responderLog)

        try server.start()
        try Stack.waitFor("feedback to be stored again", timeout: 15) { try HTTP.post(host.url("/thanks"), form: feedback).status == 200 }
        XCTAssertEqual(try HTTP.post(host.url("/results"), form: [("review", Self.review)]).status, 200)
    }
}
