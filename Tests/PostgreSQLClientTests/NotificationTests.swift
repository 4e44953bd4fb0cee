import Foundation
import Glibc
import PostgreSQLClient
import TestSupport
import XCTest

final class NotificationTests: PostgreSQLTestCase {
    /// Waits, polling the socket, until `connection` has notifications, at most `seconds`.
    private func notifications(of connection: PostgreSQLConnection, seconds: Double = 5) throws -> [PostgreSQLNotification] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let arrived = try connection.pendingNotifications()
            if !arrived.isEmpty { return arrived }
            var descriptor = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
            poll(&descriptor, 1, 100)
        }
        throw TestTimeout(description: "no notification within \(seconds) s")
    }

    func testANotifyFromAnotherSessionArrivesAndNothingElseIsPending() throws {
        let listener = try connect()
        try listener.listen("feedback")
        XCTAssertEqual(try listener.pendingNotifications(), [])
        let sender = try connect()
        let senderProcess = Int32(try sender.execute("SELECT pg_backend_pid()").int64(0, 0))
        try sender.execute("SELECT pg_notify($1, $2)", ["feedback", "row 7"])
        XCTAssertEqual(try notifications(of: listener), [PostgreSQLNotification(channel: "feedback", payload: "row 7", processID: senderProcess)])
        XCTAssertEqual(try listener.pendingNotifications(), [], "each notification is returned once")
    }

    func testCheckingWithNothingPendingReturnsAtOnceWithoutARoundTrip() throws {
        let listener = try connect()
        try listener.listen("feedback")
        let started = ContinuousClock.now
        for _ in 0..<1000 { XCTAssertEqual(try listener.pendingNotifications(), []) }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2), "1,000 checks")
        // Nothing was sent: a statement still finds the session idle, not mid-exchange.
        XCTAssertEqual(try listener.execute("SELECT 1")[0, 0], "1")
    }

    func testANotifyInsideATransactionArrivesOnlyAtItsCommit() throws {
        let listener = try connect()
        try listener.listen("feedback")
        let sender = try connect()
        try sender.transaction {
            try sender.execute("NOTIFY feedback, 'inside'")
            try sender.execute("SELECT pg_sleep(0.2)")
            XCTAssertEqual(try listener.pendingNotifications(), [])
        }
        XCTAssertEqual(try notifications(of: listener).map(\.payload), ["inside"])
    }

    func testAChannelNameIsQuotedSoItsCaseAndQuotesAreKept() throws {
        let listener = try connect()
        let channel = "Feedback \"v2\"; DROP TABLE x"
        try listener.listen(channel)
        let sender = try connect()
        try sender.execute("SELECT pg_notify('feedback', 'lowercase')")
        try sender.execute("SELECT pg_notify($1, 'exact')", [channel])
        XCTAssertEqual(try notifications(of: listener).map { [$0.channel, $0.payload] }, [[channel, "exact"]])
    }
}
