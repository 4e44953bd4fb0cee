import Foundation
import PostgreSQLClient
import TestSupport
import XCTest

/// Base class: a throwaway PostgreSQL server per test (about a second to make), removed after
/// the test, so that no test sees another's tables, sessions or restarts.
class PostgreSQLTestCase: XCTestCase {
    var server: PostgreSQLServer!

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try PostgreSQLServer()
    }

    override func tearDown() {
        server?.remove()
        server = nil
        super.tearDown()
    }

    /// A new session with the test's server.
    func connect(statementTimeout: Duration? = nil) throws -> PostgreSQLConnection {
        try PostgreSQLConnection(server.conninfo, connectTimeout: 5, statementTimeout: statementTimeout)
    }

    /// Polls `condition` every 10 ms until it holds; throws after `seconds`.
    func waitUntil(_ what: String, seconds: Double = 10, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try !condition() {
            guard Date() < deadline else { throw TestTimeout(description: "\(what) did not happen within \(seconds) s") }
            usleep(10_000)
        }
    }
}
