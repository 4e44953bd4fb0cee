import FeedbackStore
import Foundation
import Glibc
import PostgreSQLClient
import PostgreSQLFeedbackStore
import TestSupport
import XCTest

/// Base class of the store's tests: a server per test (`PostgreSQLServerTestCase`), stores and
/// sessions on it.
class PostgreSQLFeedbackStoreTestCase: PostgreSQLServerTestCase {
    /// A store on the test's server, as a worker of one host opens it; the poll interval is
    /// long unless asked, so that a `hasChanged()` that says true says it for a notification,
    /// and a failed reconnect is tried again at the next call unless asked.
    func store(pollInterval: Duration = .seconds(3600), statementTimeout: Duration = .seconds(5), reconnectBackoff: Duration = .zero) throws
        -> PostgreSQLFeedbackStore
    {
        try PostgreSQLFeedbackStore(
            url: server.url, connectTimeout: 2, statementTimeout: statementTimeout, pollInterval: pollInterval, reconnectBackoff: reconnectBackoff)
    }

    /// A session of its own, as `psql` or another program would open one.
    func connect() throws -> PostgreSQLConnection {
        try PostgreSQLConnection(server.conninfo, connectTimeout: 5, statementTimeout: .seconds(20))
    }

    /// Whether a session of the server is waiting for an advisory lock (the log's).
    func someoneWaitsForTheLogsLock(_ observer: PostgreSQLConnection) throws -> Bool {
        try observer.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'").int64(0, 0) > 0
    }

    /// A visitor's feedback: a positive review the model was unsure of (P(positive) 0.6).
    func feedback(_ review: String, _ sentiment: Int = 1, client: String = "client-a", probability: Double = 0.6) -> NewFeedback {
        NewFeedback(review: review, sentiment: sentiment, client: client, probabilityPositive: probability)
    }

    func states(_ outcomes: [InsertOutcome]) -> [FeedbackState?] {
        outcomes.map { outcome in
            if case .stored(_, let state) = outcome { return state }
            return nil
        }
    }
}
