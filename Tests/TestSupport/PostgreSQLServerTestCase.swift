import Foundation
import Glibc
import XCTest

/// Base class of the tests that need PostgreSQL: a throwaway server per test (about a second
/// to make), removed after the test, so that no test sees another's tables, sessions or
/// restarts.
open class PostgreSQLServerTestCase: XCTestCase {
    public var server: PostgreSQLServer!

    override open func setUpWithError() throws {
        try super.setUpWithError()
        server = try PostgreSQLServer()
    }

    override open func tearDown() {
        server?.remove()
        server = nil
        super.tearDown()
    }

    /// Polls `condition` every 10 ms until it holds; throws after `seconds`.
    public func waitUntil(_ what: String, seconds: Double = 10, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try !condition() {
            guard Date() < deadline else { throw TestTimeout(description: "\(what) did not happen within \(seconds) s") }
            usleep(10_000)
        }
    }
}
