import CLibPQ

extension PostgreSQLConnection {
    /// Runs `body`'s statements as one transaction: BEGIN, then COMMIT when `body` returns,
    /// ROLLBACK when it throws, its error rethrown as it was. So that no half of a change is
    /// ever written, and a failed statement never leaves the session in an aborted transaction.
    ///
    /// Throws `transactionAlreadyOpen` inside another transaction, `transactionRolledBack` when
    /// `body` caught a statement's error and COMMIT therefore rolled back, and
    /// `commitOutcomeUnknown` when the connection broke during COMMIT.
    @discardableResult
    public func transaction<Value, Failure: Error>(_ body: () throws(Failure) -> Value) throws -> Value {
        guard mc_PQtransactionStatus(handle) == PQTRANS_IDLE else { throw PostgreSQLError.transactionAlreadyOpen }
        try execute("BEGIN")
        let value: Value
        do {
            value = try body()
        } catch {
            if mc_PQstatus(handle) == CONNECTION_OK { _ = try? execute("ROLLBACK") }
            throw error
        }
        let commit: PostgreSQLResult
        do {
            commit = try execute("COMMIT")
        } catch .connectionLost(let target, let message, _) {
            throw PostgreSQLError.commitOutcomeUnknown(target: target, message: message)
        }
        guard commit.commandStatus == "COMMIT" else { throw PostgreSQLError.transactionRolledBack }
        return value
    }
}
