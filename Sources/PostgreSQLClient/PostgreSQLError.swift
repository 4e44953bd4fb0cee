/// What went wrong talking to PostgreSQL: the server's own error (with its SQLSTATE, which a
/// caller tests rather than the wording), a connection that could not be opened or broke, or a
/// value that is not what the caller asked for.
///
/// No case holds a password: connection strings appear as `PostgreSQLConnection.target`, with
/// it replaced by `***`.
public enum PostgreSQLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The connection could not be opened: libpq's message says why (no server on that socket,
    /// authentication refused, a malformed connection string, the connect timeout).
    case connectionFailed(target: String, message: String)
    /// The connection broke (the server restarted or went away); `reset()` reconnects. The
    /// message carries the server's reason when it sent one (`terminating connection due to
    /// administrator command` for a shutdown), and `sqlState` its code when libpq read the
    /// reason as the statement's error.
    case connectionLost(target: String, message: String, sqlState: String?)
    /// The connection broke while COMMIT was on its way: the transaction may or may not have
    /// committed, so the caller must neither report success nor assume a rollback.
    case commitOutcomeUnknown(target: String, message: String)
    /// The server refused the statement: `sqlState` is the five-character code of the
    /// PostgreSQL manual's appendix A (42601 a syntax error, 23505 a unique violation, 57014 a
    /// statement timeout or cancel), `message` the primary message, then its detail and hint.
    case server(sqlState: String, message: String, detail: String?, hint: String?)
    /// COMMIT rolled the transaction back, because a statement of it had failed and its error
    /// was caught inside `transaction`: nothing of it was written.
    case transactionRolledBack
    /// `transaction` was called inside a transaction: PostgreSQL has no nested BEGIN, so the
    /// inner COMMIT would have committed the outer transaction's work.
    case transactionAlreadyOpen
    /// libpq refused the call itself (out of memory, a result kind this client does not read).
    case client(message: String)
    /// A value asked for as `expected` (an integer, a number, a boolean) holds something else,
    /// or NULL.
    case unexpectedValue(row: Int, column: String, value: String?, expected: String)
    /// The result has no column of that name.
    case unknownColumn(name: String, columns: [String])

    /// The server's SQLSTATE, where the server sent one.
    public var sqlState: String? {
        switch self {
        case .server(let sqlState, _, _, _): sqlState
        case .connectionLost(_, _, let sqlState): sqlState
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .connectionFailed(let target, let message):
            "cannot connect to \(target): \(message)"
        case .connectionLost(let target, let message, _):
            "the connection to \(target) was lost (reset() reconnects): \(message)"
        case .commitOutcomeUnknown(let target, let message):
            "the connection to \(target) was lost during COMMIT, so whether the transaction committed is unknown: \(message)"
        case .server(let sqlState, let message, let detail, let hint):
            "\(message) (SQLSTATE \(sqlState))" + (detail.map { "; \($0)" } ?? "") + (hint.map { "; hint: \($0)" } ?? "")
        case .transactionRolledBack:
            "COMMIT rolled the transaction back: one of its statements had failed and its error was caught inside transaction { }"
        case .transactionAlreadyOpen:
            "transaction { } called inside a transaction: PostgreSQL has no nested transactions; use the outer one"
        case .client(let message):
            "libpq: \(message)"
        case .unexpectedValue(let row, let column, let value, let expected):
            "column \"\(column)\" of row \(row) holds \(value.map { "'\($0)'" } ?? "NULL"), not \(expected)"
        case .unknownColumn(let name, let columns):
            "the result has no column \"\(name)\"; its columns are \(columns.map { "\"\($0)\"" }.joined(separator: ", "))"
        }
    }
}
