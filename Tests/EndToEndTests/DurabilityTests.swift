import Foundation
import SentimentModel
import TestSupport
import WebApp
import XCTest

/// A feedback is on disk before the visitor is thanked. The writer commits with
/// `synchronous = NORMAL` and syncs the log itself after letting the write lock go, so the
/// order is checked where it happens, in the system calls of a real request (a CGI run of the
/// real program under strace): the row's pages written into the log, then the log synced,
/// then the answer.
final class DurabilityTests: XCTestCase {
    func testAFeedbackRowIsSyncedToTheLogBeforeTheVisitorIsThanked() throws {
        try SystemComponent.require(.strace)
        let scratch = try ScratchFolder("movieclassifier-durability")
        defer { scratch.remove() }
        let program = BuiltProducts.executable("movieclassifier-fcgi", besides: DurabilityTests.self)
        let settings = [
            "MOVIECLASSIFIER_MODEL=\(Stack.repository)/model/classifier.mcm", "MOVIECLASSIFIER_DB=\(scratch.path("feedback.sqlite"))",
            "MOVIECLASSIFIER_WWW=\(Stack.repository)/www",
        ]
        func request(_ path: String, form: [(String, String)], traceTo trace: String? = nil) throws -> String {
            let body = FormEncoding.encode(form)
            let environment =
                settings + [
                    "REQUEST_METHOD=POST", "DOCUMENT_URI=\(path)", "CONTENT_TYPE=application/x-www-form-urlencoded",
                    "CONTENT_LENGTH=\(body.utf8.count)", "REMOTE_ADDR=127.0.0.9",
                ]
            let run =
                try trace.map { trace in
                    try SpawnedProgram(
                        SystemComponent.strace.location!,
                        ["-f", "-y", "-o", trace, "-e", "trace=write,writev,pwrite64,pwritev,fsync,fdatasync", program], input: body,
                        in: scratch.path, environment: environment)
                } ?? SpawnedProgram(program, [], input: body, in: scratch.path, environment: environment)
            let result = run.wait()
            XCTAssertEqual(result.status, 0, result.errors)
            return result.output
        }
        // The first request makes the database and the signing key, untraced.
        let review = "A quiet, patient film that earns every minute of its ending."
        XCTAssertTrue(try request("/results", form: [("review", review)]).hasPrefix("Status: 200"))
        let key = try Data(contentsOf: URL(fileURLWithPath: scratch.path("feedback.key")))
        let signature = FormSigner(key: Array(key)).signature(review: review, prediction: .positive)
        let trace = scratch.path("thanks.trace")
        let thanks = try request(
            "/thanks", form: [("review", review), ("prediction", "1"), ("signature", signature), ("feedback_button", "Correct")],
            traceTo: trace)
        XCTAssertTrue(thanks.hasPrefix("Status: 200"), thanks)

        let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        let log = "feedback.sqlite-wal>"
        let lastLogWrite = try XCTUnwrap(calls.lastIndex { $0.contains("pwrite") && $0.contains(log) }, "no write into the log")
        let answer = try XCTUnwrap(calls.firstIndex { $0.contains("write(1<") && $0.contains("Status: 200") }, "no answer")
        let syncs = calls.indices.filter { (calls[$0].contains("fdatasync(") || calls[$0].contains("fsync(")) && calls[$0].contains(log) }
        XCTAssertLessThan(lastLogWrite, answer, "the row is written before the answer")
        XCTAssertTrue(
            syncs.contains { lastLogWrite < $0 && $0 < answer },
            "the log is synced after the row's last write and before the answer:\n" + calls.joined(separator: "\n"))
    }
}
