import FeedbackDatabase
import FeedbackStore
import Foundation
import Glibc
import TestSupport
import XCTest

/// Several hosts for real: two pools, each in a network namespace of its own that reaches
/// PostgreSQL over its veth (not loopback), each behind its own nginx, and one nginx balancing
/// both, as `./run.sh --cluster` runs them. The visitor's journey through the balancer, a host
/// killed under load, the database restarted under load.
final class ClusterTests: XCTestCase {
    var balancer: Balancer?
    var hosts: [Stack] = []
    var server: PostgreSQLServer?
    var namespaces: [NetworkNamespace] = []
    var keys: ScratchFolder?

    override func tearDown() {
        balancer?.stop()
        balancer = nil
        for host in hosts { host.stop() }
        hosts = []
        server?.remove()
        server = nil
        for namespace in namespaces { namespace.remove() }
        namespaces = []
        keys?.remove()
        keys = nil
    }

    /// Two hosts of two workers in their own namespaces, one database, one balancer.
    func startCluster() throws -> (balancer: Balancer, hosts: [Stack], server: PostgreSQLServer) {
        namespaces = try (0..<2).map { try NetworkNamespace(index: $0) }
        let server = try PostgreSQLServer(listenAddresses: namespaces.map(\.gateway))
        self.server = server
        let keys = try ScratchFolder("movieclassifier-cluster-key")
        self.keys = keys
        for namespace in namespaces {
            hosts.append(
                try Stack(
                    workers: 2, database: server.url(address: namespace.gateway),
                    arguments: ["--key", keys.path("feedback.key")] + Stack.manyVisitors,
                    namespace: namespace))
        }
        let balancer = try Balancer(hosts: hosts)
        self.balancer = balancer
        return (balancer, hosts, server)
    }

    /// The rows of the shared log, through the test's own socket.
    func storedRows(_ server: PostgreSQLServer) throws -> [FeedbackRow] {
        try FeedbackDatabase.open(server.url).rows(after: 0, limit: 1_000_000)
    }

    /// The pool's counter of accepted requests, from its php-fpm status page.
    func acceptedRequests(_ host: Stack) throws -> Int {
        let status = try HTTP.get(host.url("/status"))
        let line = status.body.split(separator: "\n").first { $0.hasPrefix("accepted conn:") }
        return try XCTUnwrap(line.flatMap { Int($0.split(separator: " ").last ?? "") }, status.body)
    }

    func version(_ site: some Site) throws -> String {
        let response = try HTTP.get(site.url("/v1/models/sentiment"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
        return try XCTUnwrap(object["model_version"] as? String)
    }

    func testTheJourneyThroughTheBalancerIsLearnedByBothHostsWhichReachTheDatabaseOverTheirInterfaces() throws {
        let (balancer, hosts, server) = try startCluster()
        try Journey.assertWorks(base: "http://127.0.0.1:\(balancer.port)", database: server.url)
        for _ in 0..<6 { XCTAssertEqual(try HTTP.get(balancer.url("/")).status, 200) }
        XCTAssertTrue(try hosts.allSatisfy { try acceptedRequests($0) > 0 }, "the balancer sends visitors to both hosts")
        try Stack.waitFor("both hosts to learn the feedback", timeout: 15) { try hosts.allSatisfy { try version($0).hasSuffix(".1") } }
        XCTAssertEqual(try version(hosts[0]), try version(hosts[1]))

        let observer = try ProcessSpawn.run(
            "\(PostgreSQLServer.binaries)/psql",
            [
                "-At", "-d", server.url, "-c",
                "SELECT DISTINCT host(client_addr) FROM pg_stat_activity WHERE client_addr IS NOT NULL ORDER BY 1",
            ], includingErrors: true)
        XCTAssertEqual(observer.status, 0, observer.output)
        XCTAssertEqual(
            observer.output.split(separator: "\n").map(String.init), namespaces.map(\.address).sorted(),
            "each pool's sessions come from its namespace's address")
    }

    func testKillingOneHostsWholePoolUnderLoadLeavesTheOtherServingAndLosesNothingAcknowledged() throws {
        let (balancer, hosts, server) = try startCluster()
        let victim = hosts[0]
        var killedAt = Date.distantFuture
        let load = try feedbackLoad(balancer, clients: 4, seconds: 8) {
            sleep(3)
            let pids = [try XCTUnwrap(victim.responderPID)] + Array(try victim.workers().keys)
            killedAt = Date()
            for pid in pids { kill(pid, SIGKILL) }
        }
        victim.forgetResponder()
        let failures = load.outcomes.filter { $0.status != 200 }
        let afterTheKill = load.outcomes.filter { $0.began > killedAt }
        print(
            "cluster kill figures: \(load.outcomes.count) requests (\(afterTheKill.count) after the kill), \(failures.count) failed "
                + "(statuses \(Set(failures.map(\.status)).sorted())), feedback sent \(load.sent.count), acknowledged \(load.acknowledged.count)")
        XCTAssertGreaterThan(afterTheKill.count, 100, "the other host served the load")
        // The balancer passes a request that host A's nginx answers 502 (no pool behind it) to
        // host B, and leaves host A out for a while: the clients see no failure but those cut
        // off in flight.
        XCTAssertLessThanOrEqual(failures.count, 4, "statuses: \(failures.map(\.status))")
        XCTAssertEqual(try HTTP.post(balancer.url("/results"), form: [("review", Journey.review)]).status, 200)

        let rows = try storedRows(server)
        let stored = Set(rows.map(\.review))
        XCTAssertTrue(load.acknowledged.isSubset(of: stored), "acknowledged but lost: \(load.acknowledged.subtracting(stored).prefix(3))")
        XCTAssertTrue(stored.isSubset(of: load.sent), "rows nobody sent")
        // A feedback stored by a worker killed before it answered is sent again to host B: the
        // trust rules store the second as a repeat of the client's own vote, not learned twice.
        let repeats = Dictionary(grouping: rows, by: \.review).values.filter { $0.count > 1 }
        XCTAssertTrue(repeats.allSatisfy { $0.dropFirst().allSatisfy { $0.state == .repeated } }, "\(repeats)")
        XCTAssertLessThanOrEqual(repeats.count, 2, "at most the feedback in flight in the two killed workers")
    }

    func testPostgreSQLRestartedUnderLoadKeepsPagesAnsweredRefusesFeedbackMeanwhileAndLosesNothingAcknowledged() throws {
        let (balancer, _, server) = try startCluster()
        var restarted = (began: Date.distantFuture, ended: Date.distantFuture)
        let load = try feedbackLoad(balancer, clients: 4, seconds: 9) {
            sleep(2)
            restarted.began = Date()
            try server.restart(mode: .immediate)
            restarted.ended = Date()
        }
        let results = load.outcomes.filter { $0.path == "/results" }
        let thanks = load.outcomes.filter { $0.path == "/thanks" }
        print(
            "cluster restart figures: restart \(restarted.ended.timeIntervalSince(restarted.began)) s, \(results.count) POST /results "
                + "(slowest \(results.map(\.seconds).max() ?? 0) s), \(thanks.count) POST /thanks (statuses \(Set(thanks.map(\.status)).sorted())), "
                + "acknowledged \(load.acknowledged.count)")
        XCTAssertEqual(Set(results.map(\.status)), [200], "pages answered from the model each worker holds")
        XCTAssertLessThan(results.map(\.seconds).max() ?? 0, 10, "no worker blocks longer than its connect and statement timeouts")
        XCTAssertTrue(Set(thanks.map(\.status)).isSubset(of: [200, 503]), "feedback stored, or refused with a 503: \(Set(thanks.map(\.status)))")
        XCTAssertTrue(
            thanks.contains { $0.status == 200 && $0.began > restarted.ended.addingTimeInterval(1) }, "feedback is stored again after the restart")

        let rows = try storedRows(server)
        let stored = Set(rows.map(\.review))
        XCTAssertTrue(load.acknowledged.isSubset(of: stored), "acknowledged but lost: \(load.acknowledged.subtracting(stored).prefix(3))")
        XCTAssertTrue(stored.isSubset(of: load.sent), "rows nobody sent")
        XCTAssertEqual(rows.count, stored.count, "each feedback stored once")
    }
}
