import CLibPQ

/// What one statement returned, copied out of libpq's result so that it outlives it: rows of
/// text values (PostgreSQL's text format, `nil` for NULL), the column names, and the command
/// tag's row count.
public struct PostgreSQLResult: Sendable, Equatable {
    /// The column names, in the statement's order.
    public let columns: [String]
    /// The values, row by row, each row as wide as `columns`.
    public let rows: [[String?]]
    /// The command tag: `SELECT 2`, `INSERT 0 1`, `COMMIT`, or `ROLLBACK` for a COMMIT that
    /// rolled back.
    public let commandStatus: String
    /// How many rows an INSERT, UPDATE, DELETE, MERGE, SELECT, MOVE, FETCH or COPY touched;
    /// nil for a command that counts none.
    public let affectedRows: Int?

    /// Copies the rows and columns of `result`, which the caller still owns and clears.
    init(copying result: OpaquePointer) {
        let columnCount = mc_PQnfields(result)
        columns = (0..<columnCount).map { String(cString: mc_PQfname(result, $0)) }
        rows = (0..<mc_PQntuples(result)).map { row in
            (0..<columnCount).map { column in
                mc_PQgetisnull(result, row, column) == 1 ? nil : String(cString: mc_PQgetvalue(result, row, column))
            }
        }
        commandStatus = String(cString: mc_PQcmdStatus(result))
        affectedRows = Int(String(cString: mc_PQcmdTuples(result)))
    }

    /// How many rows the statement returned.
    public var rowCount: Int { rows.count }

    /// The text of the value at `row` and `column` (counted from 0), nil for NULL.
    public subscript(row: Int, column: Int) -> String? {
        rows[row][column]
    }

    /// The text of the value at `row` in the column named `column`, nil for NULL; throws when
    /// there is no such column.
    public func value(_ row: Int, _ column: String) throws(PostgreSQLError) -> String? {
        rows[row][try index(of: column)]
    }

    /// The position of the column named `name`.
    public func index(of name: String) throws(PostgreSQLError) -> Int {
        guard let index = columns.firstIndex(of: name) else { throw .unknownColumn(name: name, columns: columns) }
        return index
    }
}
