import CLibPQ

extension PostgreSQLConnection {
    /// Starts listening on `channel` (any text: it is quoted, case kept), now and after every
    /// `reset()`. Notifications are delivered from the moment the LISTEN commits: LISTEN first,
    /// then read the state, then wait for notifications, so that no change falls in between.
    public func listen(_ channel: String) throws(PostgreSQLError) {
        try execute("LISTEN \(try quotedIdentifier(channel))")
        if !channels.contains(channel) { channels.append(channel) }
    }

    /// The notifications that have arrived, oldest first, [] when none has; never waits and
    /// sends nothing. It reads what the socket holds first (`PQnotifies` alone only looks at
    /// what an earlier call happened to read): one `poll` when it holds nothing, so a worker
    /// can check between requests, or `poll` `socket` for readability and then call it.
    /// Throws `connectionLost` once the server has closed the session.
    public func pendingNotifications() throws(PostgreSQLError) -> [PostgreSQLNotification] {
        guard consumeInput() else { throw lost(sqlState: nil) }
        var notifications: [PostgreSQLNotification] = []
        while let notification = mc_PQnotifies(handle) {
            defer { mc_PQfreemem(notification) }
            notifications.append(
                PostgreSQLNotification(
                    channel: String(cString: notification.pointee.relname), payload: String(cString: notification.pointee.extra),
                    processID: notification.pointee.be_pid))
        }
        return notifications
    }
}
