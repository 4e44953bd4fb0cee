/// A NOTIFY the server delivered to a session that LISTENs on its channel: a wake-up, not a
/// record. PostgreSQL delivers it only at the sender's commit and only to sessions listening
/// then, so a reader LISTENs first, then reads the state, then waits for notifications.
public struct PostgreSQLNotification: Sendable, Equatable {
    /// The channel, as the sender named it (case kept).
    public let channel: String
    /// The payload, empty when the sender gave none.
    public let payload: String
    /// The server process of the sending session (its `pg_backend_pid()`).
    public let processID: Int32

    public init(channel: String, payload: String, processID: Int32) {
        self.channel = channel
        self.payload = payload
        self.processID = processID
    }
}
