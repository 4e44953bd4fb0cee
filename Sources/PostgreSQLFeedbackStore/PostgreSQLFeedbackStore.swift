import FeedbackStore
import PostgreSQLClient

/// The feedback log in PostgreSQL, shared by the workers of several hosts: the same table,
/// decisions and reads as the SQLite `FeedbackStore`, with the same methods.
///
/// Every live model applies the rows in ascending id and remembers the last id it applied, so
/// an id must never become visible after a higher one. PostgreSQL draws an id at INSERT but
/// shows the row at COMMIT; every writer therefore takes the log's advisory lock
/// (`logLockKey`) before its INSERT, in the same transaction, so ids ascend in commit order.
/// A trigger takes it too, for INSERTs from outside the application (`psql`, the book's
/// scripts), before their ids are drawn.
///
/// One connection, used by one thread (as a worker serves one request at a time); a
/// connection found broken is opened again at the next call, so a restarted server costs the
/// calls made while it was down, and nothing after.
public final class PostgreSQLFeedbackStore: FeedbackLog {
    /// The server as every message names it: the URL with its password masked.
    public let target: String
    public var location: String { target }
    let connection: PostgreSQLConnection
    /// How long `hasChanged()` may go without reporting a change, however quiet the channel:
    /// a notification missed for any reason then delays a reader by this much at most.
    public let pollInterval: Duration
    /// After a failed reconnect, how long calls fail at once with its error instead of
    /// connecting again: a server that does not answer then costs a worker one connect
    /// timeout per interval, not one per request.
    public let reconnectBackoff: Duration
    /// The last reconnect's error, and until when it stands.
    private var failedReconnect: (error: PostgreSQLError, until: ContinuousClock.Instant)?
    /// When `hasChanged()` last reported a change.
    private var reportedAt = ContinuousClock.now
    /// Set when the connection was opened again: notifications sent meanwhile are lost, so the
    /// next `hasChanged()` reports a change and the caller reads the log again.
    private var reconnected = false
    /// Whether a model version may have been published since `takeModelNotice()` last said so.
    var modelNotice = true

    /// The advisory lock every write of the log takes first, inside its transaction, and
    /// `holdingWriteLock` holds: one writer at a time, so ids ascend in commit order, and the
    /// trust rules' reads see every row before the new one.
    static let logLockKey: Int64 = 0x6D6F_7669_6566_6231
    /// The advisory lock creating or upgrading the schema takes, so that workers starting
    /// together on a new database wait for each other instead of failing; apart from the log's
    /// lock, so that opening a store never waits for an update holding that one.
    static let schemaLockKey: Int64 = 0x6D6F_7669_6573_6331
    /// The channel every write NOTIFYs after its change (the payload: the new id, or what
    /// changed) and every store LISTENs on.
    public static let channel = "feedback"
    /// The payload of a new model version's notification.
    static let modelPayload = "model"
    /// The session-level advisory lock one `update` or `rollback` holds across every host.
    static let modelLockKey: Int64 = 0x6D6F_7669_656D_6431

    /// Connects to the server `url` names (a libpq URL, `postgresql://user@host/db`, or
    /// `key=value` pairs), LISTENs on `channel`, and creates the schema if it is missing.
    ///
    /// - Parameters:
    ///   - connectTimeout: seconds to wait for the server to accept a connection, at start and
    ///     at each reconnect (libpq rounds 1 up to 2).
    ///   - statementTimeout: how long one statement may run, a wait for the log's lock
    ///     included: an insert behind an update that holds the lock gives up after it, as a
    ///     SQLite worker gives up after its busy timeout.
    ///   - pollInterval: see `pollInterval`.
    ///   - reconnectBackoff: see `reconnectBackoff`.
    public init(
        url: String, connectTimeout: Int = 5, statementTimeout: Duration = .seconds(5), pollInterval: Duration = .seconds(5),
        reconnectBackoff: Duration = .seconds(1)
    ) throws(FeedbackStoreError) {
        do {
            connection = try PostgreSQLConnection(url, connectTimeout: connectTimeout, statementTimeout: statementTimeout)
        } catch {
            throw .cannotOpen(path: Self.redacted(error) ?? "the PostgreSQL server", reason: Self.reason(error))
        }
        target = connection.target
        self.pollInterval = pollInterval
        self.reconnectBackoff = reconnectBackoff
        do {
            try Self.requireDurableCommits(connection)
            // LISTEN before the first read: no change can then fall between them.
            try connection.listen(Self.channel)
            try PostgreSQLFeedbackSchema.migrate(connection, target: target)
        } catch let error as FeedbackStoreError {
            throw error
        } catch {
            throw .cannotOpen(path: target, reason: Self.reason(error))
        }
    }

    /// Nil: PostgreSQL has no counter that the workers of several hosts could read without a
    /// round trip, as the SQLite store's shared-memory file is. A worker then asks
    /// `hasChanged()` before every answer, which costs no round trip either.
    public var changeCount: Int64? { nil }

    /// Whether anything was written to the log, by this store or any other on any host, since
    /// the previous call that said so (or since the store was opened).
    ///
    /// It reads what the socket holds, without a round trip: the NOTIFYs of every write. A
    /// notification is a wake-up, not a record, and one sent while this store was
    /// disconnected is lost, so it also says true once after a reconnect and whenever
    /// `pollInterval` has passed since it last said true. A `true` can be spurious; a change
    /// is never missed for longer than `pollInterval`.
    public func hasChanged() throws(FeedbackStoreError) -> Bool {
        let now = ContinuousClock.now
        do {
            let notifications = try connection.pendingNotifications()
            if notifications.contains(where: { $0.payload == Self.modelPayload }) { modelNotice = true }
            if !notifications.isEmpty { return reportChange(at: now) }
        } catch {
            do {
                try reopen()
            } catch {
                throw .failed(path: target, operation: "check the feedback for changes", reason: Self.reason(error))
            }
        }
        if reconnected || now - reportedAt >= pollInterval { return reportChange(at: now, heard: false) }
        return false
    }

    /// Reports a change; one found by a reconnect or a poll rather than a notification may be
    /// a missed model version too.
    private func reportChange(at now: ContinuousClock.Instant, heard: Bool = true) -> Bool {
        if !heard { modelNotice = true }
        reportedAt = now
        reconnected = false
        return true
    }

    /// Runs `body` on the connection, opened again first if it broke (the server restarted or
    /// went away), and names the server and `operation` in any error. No statement is retried:
    /// a call made while the server is down fails, within the timeouts, and a later one
    /// reconnects (once `reconnectBackoff` has passed).
    func run<Value>(_ operation: String, _ body: (PostgreSQLConnection) throws -> Value) throws(FeedbackStoreError) -> Value {
        do {
            if !connection.isHealthy { try reopen() }
            return try body(connection)
        } catch let error as FeedbackStoreError {
            throw error
        } catch {
            throw .failed(path: target, operation: operation, reason: Self.reason(error))
        }
    }

    /// Like `run`, as one transaction; COMMIT when `body` returns.
    func transaction<Value>(_ operation: String, _ body: (PostgreSQLConnection) throws -> Value) throws(FeedbackStoreError) -> Value {
        try run(operation) { connection in try connection.transaction { () throws -> Value in try body(connection) } }
    }

    /// Like `transaction`, read-only and in one snapshot, for reads whose figures must agree.
    func snapshotRead<Value>(_ operation: String, _ body: (PostgreSQLConnection) throws -> Value) throws(FeedbackStoreError) -> Value {
        try transaction(operation) { connection in
            try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try body(connection)
        }
    }

    /// Opens the connection again (it LISTENs again) and remembers that notifications may
    /// have been lost; within `reconnectBackoff` of a failed attempt, throws its error again.
    private func reopen() throws(PostgreSQLError) {
        if let failedReconnect, ContinuousClock.now < failedReconnect.until { throw failedReconnect.error }
        do {
            try connection.reset()
            try Self.requireDurableCommits(connection)
        } catch {
            failedReconnect = (error, ContinuousClock.now + reconnectBackoff)
            throw error
        }
        failedReconnect = nil
        reconnected = true
    }

    /// Sets `synchronous_commit` on for the session, whatever the server's configuration says:
    /// a visitor is thanked once `insert` returns, so the row must then be on the server's
    /// disk; with it off, a server crash could undo commits already acknowledged.
    private static func requireDurableCommits(_ connection: PostgreSQLConnection) throws(PostgreSQLError) {
        try connection.execute("SELECT set_config('synchronous_commit', 'on', false)")
    }

    /// What went wrong, for a message that already names the server.
    static func reason(_ error: any Error) -> String {
        switch error as? PostgreSQLError {
        case .connectionFailed(_, let message):
            "cannot connect to the server (is it running, and does the URL name it?): \(message)"
        case .connectionLost(_, let message, _):
            "the connection to the server was lost (the next call reconnects): \(message)"
        case .commitOutcomeUnknown(_, let message):
            "the connection to the server was lost during COMMIT, so whether the change was written is unknown: \(message)"
        case .server(let sqlState, _, _, _) where sqlState == "57014":
            "the statement timed out (another writer may hold the feedback log's lock): \(error)"
        default:
            "\(error)"
        }
    }

    /// The server a connection error names, its password masked; never `url` itself, which
    /// may hold one.
    private static func redacted(_ error: PostgreSQLError) -> String? {
        if case .connectionFailed(let target, _) = error { return target }
        return nil
    }
}
