extension PostgreSQLResult {
    /// The integer at `row` and `column` (bigint, integer, smallint, or a numeric without a
    /// fraction); throws for NULL or anything else, naming the value.
    public func int64(_ row: Int, _ column: Int) throws(PostgreSQLError) -> Int64 {
        try parse(row, column, as: "an integer", Int64.init)
    }

    /// The integer at `row` in the column named `column`.
    public func int64(_ row: Int, _ column: String) throws(PostgreSQLError) -> Int64 {
        try int64(row, try index(of: column))
    }

    /// The number at `row` and `column` (double precision, real, numeric; `NaN` and
    /// `Infinity` as PostgreSQL writes them); throws for NULL or anything else.
    public func double(_ row: Int, _ column: Int) throws(PostgreSQLError) -> Double {
        try parse(row, column, as: "a number", Double.init)
    }

    /// The number at `row` in the column named `column`.
    public func double(_ row: Int, _ column: String) throws(PostgreSQLError) -> Double {
        try double(row, try index(of: column))
    }

    /// The boolean at `row` and `column`: PostgreSQL's text format writes `t` and `f`; throws
    /// for NULL or anything else.
    public func bool(_ row: Int, _ column: Int) throws(PostgreSQLError) -> Bool {
        try parse(row, column, as: "a boolean (t or f)") { text in
            switch text {
            case "t": true
            case "f": false
            default: nil
            }
        }
    }

    /// The boolean at `row` in the column named `column`.
    public func bool(_ row: Int, _ column: String) throws(PostgreSQLError) -> Bool {
        try bool(row, try index(of: column))
    }

    /// The bytes of the `bytea` at `row` and `column`; throws for NULL or anything else.
    public func bytes(_ row: Int, _ column: Int) throws(PostgreSQLError) -> [UInt8] {
        try parse(row, column, as: "bytea in hex (\\x…)", PostgreSQLBytes.decode)
    }

    private func parse<Value>(_ row: Int, _ column: Int, as expected: String, _ convert: (String) -> Value?) throws(PostgreSQLError) -> Value {
        let text = self[row, column]
        guard let text, let value = convert(text) else {
            throw .unexpectedValue(row: row, column: columns[column], value: text, expected: expected)
        }
        return value
    }
}
