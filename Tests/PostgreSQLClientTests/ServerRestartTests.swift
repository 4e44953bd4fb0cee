import Foundation
import PostgreSQLClient
import TestSupport
import XCTest

final class ServerRestartTests: PostgreSQLTestCase {
    func testACommittedRowSurvivesAnImmediateStop() throws {
        let connection = try connect()
        try connection.execute("CREATE TABLE log (id bigserial PRIMARY KEY, v text)")
        let id = try connection.transaction { try connection.execute("INSERT INTO log (v) VALUES ('recorded') RETURNING id").int64(0, 0) }
        try server.stop(mode: .immediate)
        try server.start()
        XCTAssertTrue(server.log.contains("automatic recovery in progress"), "the start replayed the write-ahead log:\n\(server.log)")
        XCTAssertEqual(try connect().execute("SELECT v FROM log WHERE id = $1", [String(id)]).rows, [["recorded"]])
    }

    func testAfterARestartTheOldSessionReportsItsLossAndResetRestoresItsSettings() throws {
        let connection = try connect(statementTimeout: .seconds(3))
        try connection.listen("feedback")
        XCTAssertTrue(connection.isHealthy)
        try server.restart()

        let started = ContinuousClock.now
        XCTAssertFalse(connection.isHealthy, "the server closed the session")
        XCTAssertThrowsError(try connection.execute("SELECT 1")) { error in
            guard case .connectionLost(let target, _, _) = error as? PostgreSQLError else { return XCTFail("\(error)") }
            XCTAssertEqual(target, "user=postgres dbname=postgres host=\(server.socketFolder)")
            XCTAssertTrue("\(error)".hasPrefix("the connection to user=postgres dbname=postgres host=\(server.socketFolder) was lost"), "\(error)")
        }
        XCTAssertThrowsError(try connection.pendingNotifications()) { error in
            guard case .connectionLost = error as? PostgreSQLError else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))

        try connection.reset()
        XCTAssertTrue(connection.isHealthy)
        XCTAssertEqual(try connection.execute("SHOW statement_timeout")[0, 0], "3s")
        try connect().execute("NOTIFY feedback, 'after the restart'")
        var descriptor = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&descriptor, 1, 5000), 1, "the notification arrived")
        XCTAssertEqual(try connection.pendingNotifications().map(\.payload), ["after the restart"], "LISTEN again after the reset")
    }

    func testASessionLostInTheMiddleOfATransactionSaysSo() throws {
        let connection = try connect()
        try connection.execute("CREATE TABLE t (v text)")
        XCTAssertThrowsError(
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES ('a')")
                try server.restart()
                try connection.execute("INSERT INTO t VALUES ('b')")
            }
        ) { error in
            guard case .connectionLost = error as? PostgreSQLError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("terminating connection due to administrator command"), "the server's reason: \(error)")
        }
        XCTAssertEqual(try connect().execute("SELECT count(*) FROM t").int64(0, 0), 0, "the fast stop rolled the transaction back")
    }

    func testConnectingToAStoppedServerFailsAtOnceNamingTheSocket() throws {
        let connection = try connect()
        try server.stop()
        let started = ContinuousClock.now
        XCTAssertThrowsError(try connect()) { error in
            guard case .connectionFailed(_, let message) = error as? PostgreSQLError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("\(server.socketFolder)/.s.PGSQL.5432"), message)
            XCTAssertTrue("\(error)".hasPrefix("cannot connect to user=postgres dbname=postgres host=\(server.socketFolder): "), "\(error)")
        }
        XCTAssertThrowsError(try connection.reset()) { error in
            guard case .connectionFailed = error as? PostgreSQLError else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        try server.start()
        try connection.reset()
        XCTAssertEqual(try connection.execute("SELECT 1")[0, 0], "1")
    }
}
