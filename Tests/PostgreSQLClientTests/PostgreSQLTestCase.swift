import Foundation
import PostgreSQLClient
import TestSupport
import XCTest

/// Base class of the client's tests: a server per test (`PostgreSQLServerTestCase`) and
/// sessions with it.
class PostgreSQLTestCase: PostgreSQLServerTestCase {
    /// A new session with the test's server.
    func connect(statementTimeout: Duration? = nil) throws -> PostgreSQLConnection {
        try PostgreSQLConnection(server.conninfo, connectTimeout: 5, statementTimeout: statementTimeout)
    }
}
