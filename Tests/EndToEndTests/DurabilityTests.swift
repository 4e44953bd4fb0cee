import FeedbackStore
import Foundation
import Glibc
import SentimentModel
import TestSupport
import WebApp
import XCTest

/// A feedback is on disk before the visitor is thanked, and an admin's decision before the
/// admin is told it is made. The writer commits with `synchronous = NORMAL` and syncs the log
/// itself after letting the write lock go, so the order is checked where it happens, in the
/// system calls of the real programs under strace (a CGI request, the admin tool): the pages
/// written into the log, then the log synced, then the answer.
final class DurabilityTests: XCTestCase {
    func testAFeedbackRowAndAnAdminsDecisionAreSyncedToTheLogBeforeTheyAreAcknowledged() throws {
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

        try Self.assertTheLogIsSynced(in: trace, before: "Status: 200")

        // An admin's decision too: `feedback reject` says it is done only once its change is on
        // disk. A connection of this test stays open, so the command's close is not the last one
        // and does not checkpoint the log (which would sync it whatever the command did).
        let watcher = try FeedbackStore(path: scratch.path("feedback.sqlite"))
        XCTAssertEqual(try watcher.latestID(), 1)
        let admin = BuiltProducts.executable("movieclassifier", besides: DurabilityTests.self)
        let rejectTrace = scratch.path("reject.trace")
        let reject = try SpawnedProgram(
            SystemComponent.strace.location!,
            [
                "-f", "-y", "-o", rejectTrace, "-e", "trace=write,writev,pwrite64,pwritev,fsync,fdatasync", admin, "feedback", "reject", "--db",
                scratch.path("feedback.sqlite"), "1",
            ], in: scratch.path
        ).wait()
        XCTAssertEqual(reject.status, 0, reject.errors)
        XCTAssertTrue(reject.output.hasPrefix("rejected row 1"), reject.output)
        try Self.assertTheLogIsSynced(in: rejectTrace, before: "rejected row 1")
    }

    /// In a pool, a worker answers on a thread of its own once the log is synced, while it goes
    /// on with the next request: the same order, through the FastCGI socket.
    func testAWorkerOfThePoolAnswersAFeedbackOnlyOnceTheLogIsSynced() throws {
        try SystemComponent.require(.strace, SystemComponent(program: "/usr/bin/cgi-fcgi", package: "libfcgi-bin"))
        let scratch = try ScratchFolder("movieclassifier-pool-durability")
        defer { scratch.remove() }
        let program = BuiltProducts.executable("movieclassifier-fcgi", besides: DurabilityTests.self)
        let socket = scratch.path("fcgi.sock")
        let trace = scratch.path("pool.trace")
        let pool = try ProcessSpawn.start(
            SystemComponent.strace.location!,
            [
                "-f", "-y", "-s", "200", "-o", trace, "-e", "trace=write,writev,pwrite64,pwritev,fsync,fdatasync", program, "--listen", socket,
                "--workers", "1", "--model", "\(Stack.repository)/model/classifier.mcm", "--db", scratch.path("feedback.sqlite"), "--www",
                "\(Stack.repository)/www",
            ], stderr: scratch.path("pool.log"))
        defer { Self.stop(tracing: pool) }
        let deadline = Date().addingTimeInterval(30)
        while access(scratch.path("feedback.key"), F_OK) != 0 || access(socket, F_OK) != 0 {
            guard Date() < deadline else {
                return XCTFail("the pool did not start: \(try String(contentsOfFile: scratch.path("pool.log"), encoding: .utf8))")
            }
            usleep(20_000)
        }
        let review = "A quiet, patient film that earns every minute of its ending."
        let key = try Data(contentsOf: URL(fileURLWithPath: scratch.path("feedback.key")))
        let body = FormEncoding.encode([
            ("review", review), ("prediction", "1"), ("signature", FormSigner(key: Array(key)).signature(review: review, prediction: .positive)),
            ("feedback_button", "Correct"),
        ])
        var answer = ""
        while !answer.hasPrefix("Status: 200") {
            // The first connection can come before the worker listens: asked again until then.
            guard Date() < deadline else { return XCTFail("no answer from the pool: \(answer)") }
            answer = try ProcessSpawn.run(
                "/usr/bin/cgi-fcgi", ["-bind", "-connect", socket], input: body,
                environment: [
                    "REQUEST_METHOD=POST", "SCRIPT_NAME=/thanks", "DOCUMENT_URI=/thanks", "CONTENT_TYPE=application/x-www-form-urlencoded",
                    "CONTENT_LENGTH=\(body.utf8.count)", "REMOTE_ADDR=127.0.0.9",
                ]
            ).output
        }
        try Self.assertTheLogIsSynced(in: trace, before: "Status: 200", on: "<socket:[")
    }

    /// When the log cannot be synced (the disk fails: strace makes every `fdatasync` of the
    /// worker fail with EIO), the visitor is not thanked: whether the row survives is not known,
    /// so the answer is a 503 that says the feedback is not saved, and the worker goes on serving.
    func testAWorkerWhoseLogCannotBeSyncedAnswers503AndGoesOnServing() throws {
        try SystemComponent.require(.strace, SystemComponent(program: "/usr/bin/cgi-fcgi", package: "libfcgi-bin"))
        let scratch = try ScratchFolder("movieclassifier-failed-sync")
        defer { scratch.remove() }
        let program = BuiltProducts.executable("movieclassifier-fcgi", besides: DurabilityTests.self)
        let socket = scratch.path("fcgi.sock")
        // The database and the signing key made first by a CGI request, with the disk sound.
        let review = "A quiet, patient film that earns every minute of its ending."
        let form = FormEncoding.encode([("review", review)])
        let made = try SpawnedProgram(
            program, [], input: form, in: scratch.path,
            environment: [
                "MOVIECLASSIFIER_MODEL=\(Stack.repository)/model/classifier.mcm", "MOVIECLASSIFIER_DB=\(scratch.path("feedback.sqlite"))",
                "MOVIECLASSIFIER_WWW=\(Stack.repository)/www", "REQUEST_METHOD=POST", "DOCUMENT_URI=/results",
                "CONTENT_TYPE=application/x-www-form-urlencoded", "CONTENT_LENGTH=\(form.utf8.count)", "REMOTE_ADDR=127.0.0.9",
            ]
        ).wait()
        XCTAssertTrue(made.output.hasPrefix("Status: 200"), made.errors)
        let pool = try ProcessSpawn.start(
            SystemComponent.strace.location!,
            [
                "-f", "-o", scratch.path("pool.trace"), "-e", "trace=fdatasync", "-e", "inject=fdatasync:error=EIO", program, "--listen", socket,
                "--workers", "1", "--model", "\(Stack.repository)/model/classifier.mcm", "--db", scratch.path("feedback.sqlite"), "--www",
                "\(Stack.repository)/www",
            ], stderr: scratch.path("pool.log"))
        defer { Self.stop(tracing: pool) }
        let key = try Data(contentsOf: URL(fileURLWithPath: scratch.path("feedback.key")))
        let feedback = FormEncoding.encode([
            ("review", review), ("prediction", "1"), ("signature", FormSigner(key: Array(key)).signature(review: review, prediction: .positive)),
            ("feedback_button", "Correct"),
        ])
        func post(_ path: String, _ body: String) throws -> String {
            try ProcessSpawn.run(
                "/usr/bin/cgi-fcgi", ["-bind", "-connect", socket], input: body,
                environment: [
                    "REQUEST_METHOD=POST", "SCRIPT_NAME=\(path)", "DOCUMENT_URI=\(path)", "CONTENT_TYPE=application/x-www-form-urlencoded",
                    "CONTENT_LENGTH=\(body.utf8.count)", "REMOTE_ADDR=127.0.0.9",
                ]
            ).output
        }
        let deadline = Date().addingTimeInterval(30)
        var answer = ""
        while !answer.hasPrefix("Status: ") {
            // The first connection can come before the worker listens: asked again until then.
            guard Date() < deadline else {
                return XCTFail("no answer from the pool: \(try String(contentsOfFile: scratch.path("pool.log"), encoding: .utf8))")
            }
            if access(socket, F_OK) == 0 { answer = try post("/thanks", feedback) } else { usleep(20_000) }
        }
        XCTAssertTrue(answer.hasPrefix("Status: 503"), answer)
        XCTAssertTrue(answer.contains("Retry-After: 5"), answer)
        XCTAssertTrue(answer.hasSuffix("Feedback not saved: please try again.\n"), answer)
        let log = try String(contentsOfFile: scratch.path("pool.log"), encoding: .utf8)
        XCTAssertTrue(log.contains("cannot sync the feedback log, answering 503 to 1 feedback"), log)
        // The worker goes on: the next review is classified as ever.
        XCTAssertTrue(try post("/results", form).hasPrefix("Status: 200"))
    }

    /// Stops the program strace (`tracer`) runs, by PID: strace itself does not pass SIGTERM
    /// on, but ends when its program does.
    static func stop(tracing tracer: pid_t) {
        let children = (try? String(contentsOfFile: "/proc/\(tracer)/task/\(tracer)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ pid_t($0) }) { kill(child, SIGTERM) }
        var status: Int32 = 0
        for _ in 0..<500 where waitpid(tracer, &status, WNOHANG) == 0 { usleep(20_000) }
        if waitpid(tracer, &status, WNOHANG) == 0 {
            kill(tracer, SIGKILL)
            waitpid(tracer, &status, 0)
        }
    }

    /// In the system calls of `trace`: the last write into the log before the first write
    /// containing `answer` to a descriptor whose description contains `destination` (standard
    /// output, or a socket), then a sync of the log, then that write, the sync and the write by
    /// one thread (so the sync had returned when the write began).
    static func assertTheLogIsSynced(
        in trace: String, before answer: String, on destination: String = "write(1<", file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        let log = "feedback.sqlite-wal>"
        let answered = try XCTUnwrap(
            calls.firstIndex { $0.contains("write(") && $0.contains(destination) && $0.contains(answer) }, "no answer", file: file, line: line)
        let lastLogWrite = try XCTUnwrap(
            calls[..<answered].lastIndex { $0.contains("pwrite") && $0.contains(log) }, "nothing written into the log before the answer",
            file: file, line: line)
        let thread = calls[answered].prefix { $0 != " " }
        let synced = calls[lastLogWrite..<answered].contains {
            $0.hasPrefix(thread + " ") && ($0.contains("fdatasync(") || $0.contains("fsync(")) && $0.contains(log)
        }
        XCTAssertTrue(
            synced, "the log is synced after the last write into it and before the answer:\n" + calls.joined(separator: "\n"), file: file,
            line: line)
    }
}
