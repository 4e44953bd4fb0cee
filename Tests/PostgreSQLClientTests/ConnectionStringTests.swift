import Foundation
import Glibc
import TestSupport
import XCTest

@testable import PostgreSQLClient

/// What a connection's messages show of its connection string: never a password. No server
/// needed.
final class ConnectionStringTests: XCTestCase {
    func testAURLsPasswordsAreMaskedInTheUserInfoAndTheQuery() {
        let redacted = RedactedConnectionString("postgresql://movie:s3cr%40t@db1:5432,db2/feedback?sslmode=require&%70assword=other&host=/run")
        XCTAssertEqual(redacted.text, "postgresql://movie:***@db1:5432,db2/feedback?sslmode=require&%70assword=***&host=/run")
        XCTAssertEqual(redacted.clean("bad token \"s3cr%40t\", s3cr@t, other"), "bad token \"***\", ***, ***")
        XCTAssertEqual(RedactedConnectionString("postgres://movie@/feedback?host=%2Frun").text, "postgres://movie@/feedback?host=%2Frun")
    }

    func testAKeywordStringIsWrittenBackWithoutItsPassword() {
        let redacted = RedactedConnectionString("host=/run/postgresql password='s3cret \\' x' dbname=feedback application_name=''")
        XCTAssertEqual(redacted.text, "password=*** dbname=feedback host=/run/postgresql application_name=''", "in libpq's order of keywords")
        XCTAssertEqual(redacted.secrets, ["s3cret ' x"])
        XCTAssertEqual(RedactedConnectionString("host='/run/pg' password='open").text, "the connection string (which libpq cannot parse)")
    }

    func testAFailedConnectionNamesTheServerAndLibpqsReasonButNoPassword() {
        XCTAssertThrowsError(try PostgreSQLConnection("postgresql://movie:s3cret@/feedback?host=/nonexistent&password=other")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("cannot connect to postgresql://movie:***@/feedback?host=/nonexistent&password=***: "), text)
            XCTAssertTrue(text.contains("\"/nonexistent/.s.PGSQL.5432\" failed: No such file or directory"), text)
            XCTAssertFalse(text.contains("s3cret") || text.contains("other"), text)
        }
        XCTAssertThrowsError(try PostgreSQLConnection("host=/nonexistent password=s3cret port=5999")) { error in
            XCTAssertEqual(
                "\(error)".components(separatedBy: ": ").first, "cannot connect to password=*** host=/nonexistent port=5999", "\(error)")
        }
        XCTAssertThrowsError(try PostgreSQLConnection("postgresql://movie:s3%zzcret@/feedback")) { error in
            XCTAssertFalse("\(error)".contains("s3%zzcret"), "libpq's message quotes the bad escape: \(error)")
        }
    }

    /// A listener that accepts the connection but never answers, as a hung server does:
    /// `connectTimeout` wins over the string's own `connect_timeout`.
    func testTheConnectTimeoutBoundsAServerThatNeverAnswers() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        XCTAssertTrue(bound && listen(listener, 4) == 0)
        let port = UInt16(bigEndian: address.sin_port)

        let started = ContinuousClock.now
        XCTAssertThrowsError(try PostgreSQLConnection("host=127.0.0.1 port=\(port) connect_timeout=60 sslmode=disable", connectTimeout: 2)) { error in
            guard case .connectionFailed(_, let message) = error as? PostgreSQLError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("timeout expired"), message)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(10))
    }
}
