import Foundation
import Telemetry
import XCTest

final class PoolStatusTests: XCTestCase {
    private func sample() -> PoolStatus {
        var cells = PoolTelemetry.zero.cells
        cells[TelemetryLayout.startedAt] = 1_796_188_734  // 2026-12-02 05:18:54 UTC
        cells[TelemetryLayout.workers] = 2
        cells[TelemetryLayout.accepted] = 42
        cells[TelemetryLayout.maxActive] = 2
        cells[TelemetryLayout.maxChildrenReached] = 1
        cells[TelemetryLayout.restarts(.timeout)] = 3
        let idle = ProcessStatus(
            pid: 101, state: .idle, startedAt: 1_796_188_734, requests: 40, requestDurationMicroseconds: 250, requestMethod: "POST",
            requestURI: "/results", contentLength: 1234, lastRequestCPUPercent: 87.456, lastRequestMemory: 33_000_000)
        let running = ProcessStatus(
            pid: 102, state: .running, startedAt: 1_796_188_744, requests: 2, requestDurationMicroseconds: 90, requestMethod: "GET",
            requestURI: "/status?json&full \"x\"", contentLength: 0, lastRequestCPUPercent: 0, lastRequestMemory: 0)
        return PoolStatus(telemetry: PoolTelemetry(cells: cells), processes: [idle, running], now: 1_796_188_834)
    }

    func testTheTextPageHasPHPFPMsFieldsAlignedAtItsColumn() {
        let text = sample().render(StatusFormat(json: false, full: false))
        XCTAssertEqual(
            text,
            """
            pool:                 movieclassifier
            process manager:      static
            start time:           02/Dec/2026:05:18:54 +0000
            start since:          100
            accepted conn:        42
            idle processes:       1
            active processes:     1
            total processes:      2
            max active processes: 2
            max children reached: 1
            slow requests:        3

            """)
    }

    func testTheFullTextPageListsEachWorkerAfterARowOfStars() {
        let text = sample().render(StatusFormat(query: "full"))
        let workers = text.components(separatedBy: "\n************************\n")
        XCTAssertEqual(workers.count, 3)
        XCTAssertTrue(workers[1].hasPrefix("pid:                  101\nstate:                Idle\n"), workers[1])
        XCTAssertTrue(workers[1].contains("request URI:          /results\n"))
        XCTAssertTrue(workers[1].contains("last request cpu:     87.46\n"))
        XCTAssertTrue(workers[1].contains("last request memory:  33000000\n"))
        XCTAssertTrue(workers[2].contains("state:                Running\n"))
        XCTAssertTrue(workers[2].contains("start since:          90\n"))
    }

    func testTheJSONPageHasTheKeysPHPFPMExporterDecodes() throws {
        let json = sample().render(StatusFormat(query: "json&full"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in [
            "pool", "process manager", "start time", "start since", "accepted conn", "idle processes", "active processes", "total processes",
            "max active processes", "max children reached", "slow requests", "processes",
        ] {
            XCTAssertNotNil(object[key], key)
        }
        XCTAssertEqual(object["start time"] as? Int, 1_796_188_734)
        XCTAssertEqual(object["accepted conn"] as? Int, 42)
        let processes = try XCTUnwrap(object["processes"] as? [[String: Any]])
        XCTAssertEqual(processes.map { $0["state"] as? String }, ["Idle", "Running"])
        XCTAssertEqual(processes[1]["request uri"] as? String, "/status?json&full \"x\"")
        XCTAssertEqual(processes[0]["last request cpu"] as? Double, 87.46)
        for key in ["pid", "request duration", "request method", "content length", "user", "script", "last request memory"] {
            XCTAssertNotNil(processes[0][key], key)
        }
    }

    func testTheJSONPageWithoutFullHasNoProcesses() throws {
        let json = sample().render(StatusFormat(query: "json"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertNil(object["processes"])
        XCTAssertEqual(object["idle processes"] as? Int, 1)
    }

    func testTheMostActiveProcessesIncludeThoseBusyNow() {
        var status = sample()
        status.telemetry.cells[TelemetryLayout.maxActive] = 0
        XCTAssertEqual(status.maxActiveProcesses, 1, "the master's ticks missed the request running now")
        status.telemetry.cells[TelemetryLayout.maxActive] = 2
        XCTAssertEqual(status.maxActiveProcesses, 2)
    }

    func testTheFormatIsReadFromTheQueryInAnyOrder() {
        XCTAssertEqual(StatusFormat(query: ""), StatusFormat(json: false, full: false))
        XCTAssertEqual(StatusFormat(query: "json&full"), StatusFormat(json: true, full: true))
        XCTAssertEqual(StatusFormat(query: "full&json"), StatusFormat(json: true, full: true))
        XCTAssertEqual(StatusFormat(query: "json=1"), StatusFormat(json: true, full: false))
        XCTAssertEqual(StatusFormat(query: "jsonp"), StatusFormat(json: false, full: false))
    }
}
