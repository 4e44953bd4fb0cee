import FeedbackStore
import Foundation
import Glibc
import TestSupport
import XCTest

/// The operator's private routes through nginx and on the FastCGI socket: php-fpm's status
/// page for the whole pool (as php-fpm_exporter asks for it), Prometheus metrics that a real
/// parser reads and whose counters move with the requests of every worker, and the refusals:
/// nginx's for another address, the application's for a request marked public, and routes off
/// under plain CGI unless enabled.
final class OperatorRoutesTests: XCTestCase {
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

    static let review = "A wonderful, moving film with superb and brilliant acting; I loved every minute of it."

    func object(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testTheStatusPageListsEveryWorkerOfThePoolInPHPFPMsJSON() throws {
        let stack = try start()
        for _ in 0..<3 { XCTAssertEqual(try HTTP.get(stack.url("/")).status, 200) }
        let response = try HTTP.get(stack.url("/status?json&full"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "application/json")
        let status = try object(response.body)
        XCTAssertEqual(status["pool"] as? String, "movieclassifier")
        XCTAssertEqual(status["process manager"] as? String, "static")
        XCTAssertEqual(status["total processes"] as? Int, 2)
        XCTAssertGreaterThanOrEqual(status["accepted conn"] as? Int ?? 0, 4, "the three pages and this one")
        let started = try XCTUnwrap(status["start time"] as? Int)
        XCTAssertLessThan(abs(Int(time(nil)) - started), 120)
        let processes = try XCTUnwrap(status["processes"] as? [[String: Any]])
        XCTAssertEqual(Set(processes.compactMap { ($0["pid"] as? Int).map(pid_t.init) }), Set(try stack.workers().keys))
        XCTAssertEqual(processes.filter { $0["state"] as? String == "Running" }.count, 1, "the worker answering is running")
        let accepted = try XCTUnwrap(status["accepted conn"] as? Int)
        XCTAssertEqual(processes.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) }, accepted - 1, "every request accepted was served, but this one")
        XCTAssertTrue(processes.contains { $0["request uri"] as? String == "/status?json&full" })
        let text = try HTTP.get(stack.url("/status"))
        XCTAssertEqual(text.headers["content-type"], "text/plain; charset=utf-8")
        XCTAssertTrue(text.body.hasPrefix("pool:                 movieclassifier\nprocess manager:      static\n"), text.body)
    }

    func testAFastCGIClientGetsTheStatusWithTheParametersPHPFPMExporterSends() throws {
        try SystemComponent.require(SystemComponent(program: "/usr/bin/cgi-fcgi", package: "libfcgi-bin"))
        let stack = try start()
        let exporter = ["SCRIPT_FILENAME=/status", "SCRIPT_NAME=/status", "REMOTE_ADDR=127.0.0.1", "QUERY_STRING=json&full", "REQUEST_METHOD=GET"]
        let direct = try cgiFCGI(stack, exporter)
        XCTAssertTrue(direct.hasPrefix("Status: 200 OK\r\n"), direct)
        let body = try XCTUnwrap(direct.components(separatedBy: "\r\n\r\n").last)
        XCTAssertEqual(try object(body)["total processes"] as? Int, 2)
        let marked = try cgiFCGI(stack, exporter + ["MOVIECLASSIFIER_PUBLIC=1"])
        XCTAssertTrue(marked.hasPrefix("Status: 404 Not Found\r\n"), "a request marked public is refused on the socket too: \(marked)")
    }

    /// Sends one request over the pool's socket with `cgi-fcgi`, whose environment is the
    /// request's parameters, and returns the raw answer.
    func cgiFCGI(_ stack: Stack, _ parameters: [String]) throws -> String {
        let result = try ProcessSpawn.run(
            "/usr/bin/cgi-fcgi", ["-bind", "-connect", stack.folder + "/fcgi.sock"], environment: parameters, seconds: 30)
        XCTAssertEqual(result.status, 0, result.output)
        return result.output
    }

    func testMetricsParseWithPrometheusParserAndCountTheRequestsOfEveryWorker() throws {
        let stack = try start()
        let before = try metrics(stack)
        for _ in 0..<6 { XCTAssertEqual(try HTTP.post(stack.url("/results"), form: [("review", Self.review)]).status, 200) }
        let page = try HTTP.post(stack.url("/results"), form: [("review", Self.review)])
        let thanks = try HTTP.post(stack.url("/thanks"), form: HiddenFields.of(page.body) + [("feedback_button", "Correct")])
        XCTAssertEqual(thanks.status, 200)
        let after = try metrics(stack)
        func moved(_ sample: String) -> Double { (after[sample] ?? 0) - (before[sample] ?? 0) }
        XCTAssertEqual(moved(#"movieclassifier_http_requests_total{"code": "200", "handler": "/results"}"#), 7)
        XCTAssertEqual(moved(#"movieclassifier_http_request_duration_seconds_count{"handler": "/results"}"#), 7)
        XCTAssertEqual(moved(#"movieclassifier_predictions_total{"label": "positive"}"#), 7)
        XCTAssertEqual(moved(#"movieclassifier_feedback_received_total{"outcome": "counted"}"#), 1)
        XCTAssertEqual(moved(#"movieclassifier_feedback_rows_total{"predicted": "positive", "truth": "positive"}"#), 1)
        XCTAssertEqual(moved(#"movieclassifier_pool_accepted_connections_total{}"#), 9, "7 results, 1 thanks, 1 scrape")
        XCTAssertEqual(after[#"movieclassifier_pool_processes{"state": "active"}"#], 1, "the scrape itself")
        XCTAssertEqual(after[#"movieclassifier_pool_workers{}"#], 2)
        XCTAssertEqual(after[#"movieclassifier_feedback_database_up{}"#], 1)
        XCTAssertEqual(after[#"movieclassifier_model_watermark{}"#], after[#"movieclassifier_feedback_latest_id{}"#])
        XCTAssertNotNil(after.keys.first { $0.hasPrefix("movieclassifier_model_info{") })
    }

    /// `/metrics` through nginx, read by prometheus_client's own parser: every sample as
    /// `name{labels as sorted JSON}` → value. The parser throws on anything malformed.
    func metrics(_ stack: Stack) throws -> [String: Double] {
        let response = try HTTP.get(stack.url("/metrics"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        let parser = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            samples = {}
            for family in text_string_to_metric_families(sys.stdin.read()):
                for sample in family.samples:
                    samples[sample.name + json.dumps(sample.labels, sort_keys=True)] = sample.value
            print(json.dumps(samples))
            """
        let parsed = try ProcessSpawn.run(try APITests.tool("python"), ["-c", parser], input: response.body, seconds: 60, includingErrors: true)
        XCTAssertEqual(parsed.status, 0, parsed.output)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(parsed.output.utf8)) as? [String: Double], parsed.output)
    }

    func testNginxRefusesThePrivateRoutesToAnyOtherAddress() throws {
        let stack = try start()
        for path in ["/status", "/metrics", "/admin/"] {
            XCTAssertEqual(try HTTP.send(method: "GET", url: stack.url(path), contentType: nil, body: Data(), from: "127.0.0.2").status, 403, path)
        }
        XCTAssertEqual(try HTTP.get(stack.url("/metrics")).status, 200)
        XCTAssertEqual(try HTTP.get(stack.url("/status")).status, 200)
    }

    func testUnderPlainCGIThePrivateRoutesAreOffUnlessEnabled() throws {
        let scratch = try ScratchFolder("movieclassifier-cgi-operator")
        defer { scratch.remove() }
        let program = Stack.products.appendingPathComponent("movieclassifier-fcgi").path
        let environment = [
            "GATEWAY_INTERFACE=CGI/1.1", "REQUEST_METHOD=GET", "SCRIPT_NAME=/metrics", "REMOTE_ADDR=127.0.0.1",
            "MOVIECLASSIFIER_MODEL=" + Stack.repository + "/model/classifier.mcm", "MOVIECLASSIFIER_DB=" + scratch.path + "/feedback.sqlite",
            "MOVIECLASSIFIER_WWW=" + Stack.repository + "/www",
        ]
        let off = try ProcessSpawn.run(program, [], environment: environment)
        XCTAssertTrue(off.output.hasPrefix("Status: 404 "), off.output)
        let on = try ProcessSpawn.run(program, [], environment: environment + ["MOVIECLASSIFIER_OPERATOR_ROUTES=on"])
        XCTAssertTrue(on.output.hasPrefix("Status: 200 OK\r\n"), on.output)
        XCTAssertTrue(on.output.contains("\nmovieclassifier_model_info{"), on.output)
        XCTAssertFalse(on.output.contains("movieclassifier_http_requests_total"), "a CGI process has no pool to count")
        let status = try ProcessSpawn.run(
            program, [],
            environment: environment.map { $0 == "SCRIPT_NAME=/metrics" ? "SCRIPT_NAME=/status" : $0 } + ["MOVIECLASSIFIER_OPERATOR_ROUTES=on"])
        XCTAssertTrue(status.output.hasPrefix("Status: 404 "), "no pool, no status: \(status.output)")
    }
}
