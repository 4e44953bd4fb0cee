import Foundation
import PostgreSQLClient
import TestSupport
import XCTest

final class PostgreSQLConnectionTests: PostgreSQLTestCase {
    private struct Abandoned: Error {}

    func testParametersAndNullsRoundTripAsText() throws {
        let connection = try connect()
        let awkward = "it's \"quoted\"; DROP TABLE x; -- Ünïcödé 😀\nline two"
        let result = try connection.execute(
            "SELECT $1::text AS text, $2::text AS missing, $3::bigint + 1 AS next, $2 IS NULL AS is_null, $4::float8 / 2 AS half",
            [awkward, nil, "41", "3"])
        XCTAssertEqual(result.columns, ["text", "missing", "next", "is_null", "half"])
        XCTAssertEqual(result.rowCount, 1)
        XCTAssertEqual(result[0, 0], awkward)
        XCTAssertEqual(try result.value(0, "text"), awkward)
        XCTAssertNil(result[0, 1])
        XCTAssertEqual(try result.int64(0, "next"), 42)
        XCTAssertEqual(try result.bool(0, "is_null"), true)
        XCTAssertEqual(try result.double(0, "half"), 1.5)

        try connection.execute("CREATE TABLE review (id integer PRIMARY KEY, body text)")
        let insert = try connection.execute("INSERT INTO review VALUES ($1, $2), ($3, $4)", ["1", awkward, "2", nil])
        XCTAssertEqual(insert.commandStatus, "INSERT 0 2")
        XCTAssertEqual(insert.affectedRows, 2)
        let rows = try connection.execute("SELECT id, body FROM review ORDER BY id")
        XCTAssertEqual(rows.rows, [["1", awkward], ["2", nil]])
        XCTAssertEqual(rows.affectedRows, 2)
        XCTAssertNil(try connection.execute("CREATE INDEX ON review (body)").affectedRows)
    }

    func testAURLAndAKeywordStringReachTheServerOnItsUnixSocket() throws {
        let byURL = try PostgreSQLConnection(server.url, connectTimeout: 5)
        XCTAssertEqual(byURL.target, server.url)
        for connection in [byURL, try connect()] {
            let session = try connection.execute("SELECT current_database(), current_user, inet_server_addr() IS NULL AS unix_socket")
            XCTAssertEqual(session.rows, [["postgres", "postgres", "t"]])
            XCTAssertGreaterThanOrEqual(connection.socket, 0)
        }
    }

    func testTypedAccessorsNameTheValueThatIsNotOfTheirType() throws {
        let result = try connect().execute("SELECT 'abc' AS v, NULL::bigint AS n, 'NaN'::float8 AS nan, true AS yes, false AS no")
        XCTAssertThrowsError(try result.int64(0, "v")) { error in
            XCTAssertEqual(error as? PostgreSQLError, .unexpectedValue(row: 0, column: "v", value: "abc", expected: "an integer"))
            XCTAssertEqual("\(error)", "column \"v\" of row 0 holds 'abc', not an integer")
        }
        XCTAssertThrowsError(try result.int64(0, 1)) { error in
            XCTAssertEqual("\(error)", "column \"n\" of row 0 holds NULL, not an integer")
        }
        XCTAssertThrowsError(try result.bool(0, "v")) { error in
            XCTAssertEqual("\(error)", "column \"v\" of row 0 holds 'abc', not a boolean (t or f)")
        }
        XCTAssertThrowsError(try result.double(0, "missing")) { error in
            XCTAssertEqual("\(error)", "the result has no column \"missing\"; its columns are \"v\", \"n\", \"nan\", \"yes\", \"no\"")
        }
        XCTAssertTrue(try result.double(0, "nan").isNaN)
        XCTAssertEqual(try result.bool(0, "yes"), true)
        XCTAssertEqual(try result.bool(0, "no"), false)
    }

    func testASyntaxErrorThrowsSQLState42601AndTheSessionGoesOn() throws {
        let connection = try connect()
        XCTAssertThrowsError(try connection.execute("SELEC 1")) { error in
            XCTAssertEqual((error as? PostgreSQLError)?.sqlState, "42601")
            XCTAssertEqual("\(error)", "syntax error at or near \"SELEC\" (SQLSTATE 42601)")
        }
        XCTAssertThrowsError(try connection.execute("SELECT 1; SELECT 2"), "several statements in one call") { error in
            XCTAssertEqual((error as? PostgreSQLError)?.sqlState, "42601")
        }
        XCTAssertEqual(try connection.execute("SELECT 1")[0, 0], "1")
    }

    func testAUniqueViolationThrowsSQLState23505WithTheServersDetail() throws {
        let connection = try connect()
        try connection.execute("CREATE TABLE t (id integer PRIMARY KEY)")
        try connection.execute("INSERT INTO t VALUES (1)")
        XCTAssertThrowsError(try connection.execute("INSERT INTO t VALUES ($1)", ["1"])) { error in
            XCTAssertEqual(
                error as? PostgreSQLError,
                .server(
                    sqlState: "23505", message: "duplicate key value violates unique constraint \"t_pkey\"", detail: "Key (id)=(1) already exists.",
                    hint: nil))
            XCTAssertEqual("\(error)", "duplicate key value violates unique constraint \"t_pkey\" (SQLSTATE 23505); Key (id)=(1) already exists.")
        }
    }

    func testATransactionCommitsWhenItsBodyReturns() throws {
        let connection = try connect()
        try connection.execute("CREATE TABLE t (v text)")
        let count = try connection.transaction {
            try connection.execute("INSERT INTO t VALUES ('a')")
            try connection.execute("INSERT INTO t VALUES ('b')")
            return try connection.execute("SELECT count(*) FROM t").int64(0, 0)
        }
        XCTAssertEqual(count, 2)
        XCTAssertEqual(try connect().execute("SELECT string_agg(v, ',' ORDER BY v) FROM t")[0, 0], "a,b", "visible to another session")
    }

    func testATransactionRollsBackWhenItsBodyThrows() throws {
        let connection = try connect()
        try connection.execute("CREATE TABLE t (v text)")
        XCTAssertThrowsError(
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES ('a')")
                throw Abandoned()
            }
        ) { error in XCTAssertTrue(error is Abandoned, "the body's own error: \(error)") }
        XCTAssertThrowsError(
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES ('b')")
                try connection.execute("INSERT INTO t VALUES (1, 2)")
            }
        ) { error in XCTAssertEqual((error as? PostgreSQLError)?.sqlState, "42601") }
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM t").int64(0, 0), 0)
        try connection.transaction { try connection.execute("INSERT INTO t VALUES ('c')") }
        XCTAssertEqual(try connection.execute("SELECT string_agg(v, ',') FROM t")[0, 0], "c", "the session is out of the failed transaction")
    }

    func testATransactionWhoseBodyCaughtAFailedStatementReportsTheRollback() throws {
        let connection = try connect()
        try connection.execute("CREATE TABLE t (v text)")
        XCTAssertThrowsError(
            try connection.transaction {
                try connection.execute("INSERT INTO t VALUES ('a')")
                _ = try? connection.execute("SELEC 1")
            }
        ) { error in XCTAssertEqual(error as? PostgreSQLError, .transactionRolledBack) }
        XCTAssertThrowsError(try connection.transaction { try connection.transaction { try connection.execute("INSERT INTO t VALUES ('b')") } }) {
            error in XCTAssertEqual(error as? PostgreSQLError, .transactionAlreadyOpen)
        }
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM t").int64(0, 0), 0)
    }

    func testTheStatementTimeoutCancelsALongStatementWithSQLState57014() throws {
        let connection = try connect(statementTimeout: .milliseconds(200))
        XCTAssertEqual(try connection.execute("SHOW statement_timeout")[0, 0], "200ms")
        let started = ContinuousClock.now
        XCTAssertThrowsError(try connection.execute("SELECT pg_sleep(5)")) { error in
            XCTAssertEqual((error as? PostgreSQLError)?.sqlState, "57014")
            XCTAssertEqual("\(error)", "canceling statement due to statement timeout (SQLSTATE 57014)")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        XCTAssertEqual(try connection.execute("SELECT 1")[0, 0], "1")
        try connection.setStatementTimeout(nil)
        XCTAssertEqual(try connection.execute("SHOW statement_timeout")[0, 0], "0")
    }

    func testTheStatementTimeoutBoundsAWaitForALock() throws {
        let holder = try connect()
        try holder.execute("BEGIN")
        try holder.execute("SELECT pg_advisory_xact_lock(42)")
        let waiter = try connect(statementTimeout: .milliseconds(300))
        XCTAssertThrowsError(try waiter.transaction { try waiter.execute("SELECT pg_advisory_xact_lock(42)") }) { error in
            XCTAssertEqual((error as? PostgreSQLError)?.sqlState, "57014")
        }
    }
}
