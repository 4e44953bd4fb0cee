import CLibPQ
import Glibc

/// One session with a PostgreSQL server through libpq's blocking calls, for a worker that
/// serves one request at a time: each call waits for the server's answer, bounded by the
/// statement timeout.
///
/// Not `Sendable`: libpq's connection must not be used by two threads at once, so each thread
/// or process opens its own (after `fork`, never one inherited from the parent).
public final class PostgreSQLConnection {
    /// libpq's connection; `reset()` reconnects it in place.
    let handle: OpaquePointer
    /// The server as messages name it: the connection string, password masked.
    let redacted: RedactedConnectionString
    /// What `reset()` sets again on the new session.
    private var statementTimeout: Duration?
    /// The channels LISTENed on, in order, which `reset()` LISTENs on again.
    var channels: [String] = []

    /// Connects to the server `conninfo` names, in either of libpq's forms: a URL
    /// (`postgresql://user@host:5432/db?sslmode=require`, a unix socket as `?host=/run/postgresql`)
    /// or `key=value` pairs (`host=/run/postgresql dbname=feedback`); what it leaves out comes
    /// from libpq's environment variables and defaults.
    ///
    /// - Parameters:
    ///   - connectTimeout: seconds to wait for each host to accept the connection (libpq's
    ///     `connect_timeout`, whatever `conninfo` says), so that a worker never hangs on a
    ///     server that does not answer; libpq rounds 1 up to 2, and 0 waits without limit.
    ///   - statementTimeout: how long one statement may run (and wait for locks) before the
    ///     server cancels it with SQLSTATE 57014; nil leaves the server's setting.
    public init(_ conninfo: String, connectTimeout: Int = 10, statementTimeout: Duration? = nil) throws(PostgreSQLError) {
        guard mc_libpq_load() == 0 else { throw .client(message: String(cString: mc_libpq_error())) }
        redacted = RedactedConnectionString(conninfo)
        // dbname first, expanded as a whole connection string (expand_dbname); connect_timeout
        // after it, since a later keyword overrides an earlier one.
        let texts: [String] = ["dbname", "connect_timeout", conninfo, String(connectTimeout)]
        let strings = texts.map { strdup($0) }
        defer { strings.forEach { free($0) } }
        let keywords: [UnsafePointer<CChar>?] = [UnsafePointer(strings[0]), UnsafePointer(strings[1]), nil]
        let values: [UnsafePointer<CChar>?] = [UnsafePointer(strings[2]), UnsafePointer(strings[3]), nil]
        let connection = mc_PQconnectdbParams(keywords, values, 1)
        guard let connection else { throw .client(message: "out of memory opening a connection") }
        // Every property is set from here on, so a throw runs deinit, which closes the handle.
        handle = connection
        guard mc_PQstatus(handle) == CONNECTION_OK else { throw .connectionFailed(target: redacted.text, message: errorMessage) }
        if let statementTimeout { try setStatementTimeout(statementTimeout) }
    }

    deinit {
        mc_PQfinish(handle)
    }

    /// The server as error messages name it: the connection string with its password masked.
    public var target: String { redacted.text }

    /// Runs one statement (`$1`, `$2`… stand for `parameters`, sent as text apart from the SQL,
    /// so no value needs quoting; nil is NULL) and returns its rows. Several statements in one
    /// string are refused by the server: run them one by one, in `transaction` when they
    /// belong together.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws(PostgreSQLError) -> PostgreSQLResult {
        let values: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { values.forEach { free($0) } }
        let result = values.map { $0.map { UnsafePointer($0) } }.withUnsafeBufferPointer { valueList in
            mc_PQexecParams(handle, sql, Int32(valueList.count), nil, valueList.baseAddress, nil, nil, 0)
        }
        guard let result else {
            if mc_PQstatus(handle) == CONNECTION_BAD { throw lost(sqlState: nil) }
            throw .client(message: errorMessage)
        }
        defer { mc_PQclear(result) }
        switch mc_PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgreSQLResult(copying: result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            // PG_DIAG_SQLSTATE, _MESSAGE_PRIMARY, _DETAIL and _HINT: character macros, which
            // Swift does not import.
            let field = { (code: UInt8) in mc_PQresultErrorField(result, Int32(code)).map { String(cString: $0) } }
            let sqlState = field(UInt8(ascii: "C"))
            if mc_PQstatus(handle) == CONNECTION_BAD { throw lost(sqlState: sqlState) }
            guard let sqlState else { throw .client(message: Self.trimmed(mc_PQresultErrorMessage(result))) }
            throw .server(
                sqlState: sqlState, message: field(UInt8(ascii: "M")) ?? Self.trimmed(mc_PQresultErrorMessage(result)),
                detail: field(UInt8(ascii: "D")), hint: field(UInt8(ascii: "H")))
        default:
            throw .client(message: "\(String(cString: mc_PQresStatus(mc_PQresultStatus(result)))) results (COPY) are not read by this client")
        }
    }

    /// Sets how long each statement may run, waits for locks included, before the server
    /// cancels it with SQLSTATE 57014 (nil: no limit); kept across `reset()`. Call it outside a
    /// transaction: a rollback would undo it.
    public func setStatementTimeout(_ timeout: Duration?) throws(PostgreSQLError) {
        let milliseconds = timeout.map {
            max(1, $0.components.seconds * 1000 + ($0.components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        }
        try execute("SELECT set_config('statement_timeout', $1, false)", [String(milliseconds ?? 0)])
        statementTimeout = timeout
    }

    /// The descriptor of the connection's socket, to `poll` for readability while waiting for
    /// notifications; -1 when there is no connection.
    public var socket: Int32 { mc_PQsocket(handle) }

    /// Whether the connection is usable, as far as is known without a round trip: it reads
    /// what the server has already sent (a server that ended the session has closed its end),
    /// keeping any notifications for `pendingNotifications()`.
    public var isHealthy: Bool {
        consumeInput()
    }

    /// Reads everything the socket holds, without waiting; false when the connection is gone.
    /// It asks the socket first (`poll`, no wait), so that the common case, nothing sent, costs
    /// one system call; `PQnotifies` parses what libpq has already read. One `PQconsumeInput`
    /// can stop at the server's last message (a FATAL saying why it ends the session) before
    /// the end of the stream, so it reads until the socket is drained (a closed socket is
    /// readable, and reading it finds the end).
    func consumeInput() -> Bool {
        while true {
            guard mc_PQstatus(handle) == CONNECTION_OK else { return false }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) == 1 else { return true }
            guard mc_PQconsumeInput(handle) == 1 else { return false }
        }
    }

    /// Closes the connection and opens it again with the same parameters, then sets the
    /// statement timeout and LISTENs again. Notifications sent in between are lost: read the
    /// state again after a reset.
    public func reset() throws(PostgreSQLError) {
        mc_PQreset(handle)
        guard mc_PQstatus(handle) == CONNECTION_OK else { throw .connectionFailed(target: target, message: errorMessage) }
        if let statementTimeout { try setStatementTimeout(statementTimeout) }
        for channel in channels { try execute("LISTEN \(try quotedIdentifier(channel))") }
    }

    /// `name` quoted as an SQL identifier: any text, case kept.
    func quotedIdentifier(_ name: String) throws(PostgreSQLError) -> String {
        guard let quoted = mc_PQescapeIdentifier(handle, name, name.utf8.count) else { throw .client(message: errorMessage) }
        defer { mc_PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// libpq's last message for this connection, without its final line break and with any
    /// password from the connection string masked.
    var errorMessage: String {
        redacted.clean(Self.trimmed(mc_PQerrorMessage(handle)))
    }

    /// The error for a connection that broke, with the server's reason when it sent one.
    func lost(sqlState: String?) -> PostgreSQLError {
        .connectionLost(target: target, message: errorMessage, sqlState: sqlState)
    }

    /// `message` without the line break and spaces libpq ends its messages with.
    private static func trimmed(_ message: UnsafePointer<CChar>) -> String {
        String(String(cString: message).reversed().drop { $0.isWhitespace }.reversed())
    }
}
