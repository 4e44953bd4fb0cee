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

    /// Folders a test made (the shared key's), removed after it.
    var folders: [ScratchFolder] = []

    override func tearDown() {
        for stack in stacks { stack.stop() }
        stacks = []
        for folder in folders { folder.remove() }
        folders = []
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

    /// The host's `model_version` (the model file's CRC-32 and the last row applied).
    func version(_ stack: Stack) throws -> String {
        let response = try HTTP.get(stack.url("/v1/models/sentiment"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
        return try XCTUnwrap(object["model_version"] as? String)
    }

    /// Runs the admin tool; fails the test unless it succeeds.
    func tool(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try ProcessSpawn.run(Stack.products.appendingPathComponent("movieclassifier").path, arguments, includingErrors: true)
        XCTAssertEqual(result.status, 0, result.output, file: file, line: line)
        return result.output
    }

    /// Classifies `reviews` on `stack` and sends each page's feedback (Correct) there.
    func giveFeedback(_ stack: Stack, on reviews: [String]) throws {
        for review in reviews {
            let page = try HTTP.post(stack.url("/results"), form: [("review", review)])
            XCTAssertEqual(page.status, 200)
            XCTAssertEqual(try HTTP.post(stack.url("/thanks"), form: HiddenFields.of(page.body) + [("feedback_button", "Correct")]).status, 200)
        }
    }

    static let reviews = (1...3).map { "Review \($0): \(review) The score, too, is lovely." }

    /// Two hosts on one new database, sharing a key file.
    func twoHosts() throws -> (Stack, Stack, PostgreSQLServer) {
        let server = try PostgreSQLServer()
        self.server = server
        let keys = try ScratchFolder("movieclassifier-shared-key")
        folders.append(keys)
        let arguments = ["--key", keys.path + "/feedback.key"] + Stack.manyVisitors
        let hostA = try Stack(workers: 2, database: server.url, arguments: arguments)
        stacks.append(hostA)
        let hostB = try Stack(workers: 2, database: server.url, arguments: arguments)
        stacks.append(hostB)
        return (hostA, hostB, server)
    }

    func testAnUpdateRunOnOneHostIsLoadedByTheOtherAndARollbackOrARejectionByBoth() throws {
        let (hostA, hostB, server) = try twoHosts()
        try giveFeedback(hostA, on: Self.reviews)
        try Stack.waitFor("both hosts to apply the three rows", timeout: 15) { try [hostA, hostB].allSatisfy { try version($0).hasSuffix(".3") } }
        let bundled = try version(hostA)
        let learned = try probability(hostA, Self.review)
        XCTAssertEqual(try probability(hostB, Self.review), learned)

        let update = try tool(["update", "--db", server.url, "--model", hostA.modelPath])
        XCTAssertTrue(update.contains("published: model version 2 for every host"), update)
        try Stack.waitFor("host B to load version 2", timeout: 15) { try version(hostB) != bundled }
        let updated = try version(hostB)
        XCTAssertTrue(updated.hasSuffix(".3"), "the rows are in the version: \(updated)")
        XCTAssertEqual(try version(hostA), updated)
        XCTAssertEqual(
            FileManager.default.contents(atPath: hostB.modelPath), FileManager.default.contents(atPath: hostA.modelPath),
            "host B's workers wrote the version into its own model file")
        XCTAssertEqual(try probability(hostB, Self.review), learned, "an update changes no prediction")
        let versions = try tool(["versions", "--db", server.url]).split(separator: "\n")
        XCTAssertEqual(versions.count, 2, "\(versions)")
        XCTAssertTrue(versions.first?.hasPrefix("2\t") ?? false, "newest first: \(versions)")
        XCTAssertTrue(versions.first?.hasSuffix("\tupdate") ?? false, "\(versions)")
        let admin = try HTTP.get(hostB.url("/admin/"))
        XCTAssertEqual(admin.status, 200)
        XCTAssertTrue(admin.body.contains("<h2>Model versions in the shared log</h2>"), "host B's admin page lists the shared versions")
        XCTAssertTrue(admin.body.contains("<tr><th scope=\"row\">2</th><td>update</td>"), admin.body)
        XCTAssertTrue(admin.body.contains("<tr><th scope=\"row\">1</th>"), admin.body)
        XCTAssertFalse(admin.body.contains("Previous model files"), admin.body)

        // Rolled back on host B: both hosts serve the bundled model again, with the rows replayed.
        let rollback = try tool(["rollback", "--db", server.url, "--model", hostB.modelPath])
        XCTAssertTrue(rollback.contains("as model version 3, which every host loads"), rollback)
        try Stack.waitFor("both hosts to load version 3", timeout: 15) { try [hostA, hostB].allSatisfy { try version($0) == bundled } }
        XCTAssertEqual(try probability(hostA, Self.review), learned)

        // An admin's rejection, made through either host's database: both rebuild without the row.
        _ = try tool(["feedback", "reject", "--db", server.url, "1"])
        try Stack.waitFor("both hosts to rebuild without row 1", timeout: 15) {
            try [hostA, hostB].allSatisfy { try probability($0, Self.review) != learned }
        }
        XCTAssertEqual(try probability(hostA, Self.review), try probability(hostB, Self.review))
    }

    func testASiteMovedFromSQLiteByMigrateServesTheSameModelBitForBit() throws {
        let single = try Stack(workers: 1, arguments: Stack.manyVisitors)
        stacks.append(single)
        try giveFeedback(single, on: Self.reviews)
        let onSQLite = (version: try version(single), probability: try probability(single, Self.review))
        XCTAssertTrue(onSQLite.version.hasSuffix(".3"), onSQLite.version)

        let server = try PostgreSQLServer()
        self.server = server
        let migrated = try tool(["migrate", "--from", single.database, "--to", server.url, "--model", Stack.repository + "/model/classifier.mcm"])
        XCTAssertTrue(migrated.contains("rows:       3 (ids kept, the newest 3)"), migrated)
        XCTAssertTrue(migrated.contains("as model version 1"), migrated)
        let keys = try ScratchFolder("movieclassifier-shared-key")
        folders.append(keys)
        let host = try Stack(workers: 2, database: server.url, arguments: ["--key", keys.path + "/feedback.key"] + Stack.manyVisitors)
        stacks.append(host)
        XCTAssertEqual(try version(host), onSQLite.version, "the same model file and the same rows")
        XCTAssertEqual(try probability(host, Self.review), onSQLite.probability, "bit for bit")
        let list = try tool(["feedback", "list", "--db", server.url])
        XCTAssertEqual(list.components(separatedBy: "Review ").count - 1, 3, list)
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
        let readiness = try HTTP.get(host.url("/readyz"))
        XCTAssertEqual(readiness.status, 200, "a balancer keeps the host: it answers visitors")
        XCTAssertTrue(readiness.body.hasPrefix("degraded: the feedback log does not answer"), readiness.body)

        try server.start()
        try Stack.waitFor("feedback to be stored again", timeout: 15) { try HTTP.post(host.url("/thanks"), form: feedback).status == 200 }
        XCTAssertEqual(try HTTP.post(host.url("/results"), form: [("review", Self.review)]).status, 200)
        XCTAssertEqual(try HTTP.get(host.url("/readyz")).body, "ok\n")
    }
}
