import PostgreSQLClient

/// A reader that applies the log as the feedback replay would: each poll reads the rows after
/// the last id it applied, in id order, and remembers the highest. It misses any row whose id
/// is below one it already applied when that row becomes visible.
struct LogFollower {
    let connection: PostgreSQLConnection
    private(set) var applied: [Int64] = []

    init(_ connection: PostgreSQLConnection) {
        self.connection = connection
    }

    mutating func poll() throws {
        let rows = try connection.execute("SELECT id FROM log WHERE id > $1 ORDER BY id", [String(applied.last ?? 0)])
        applied += try (0..<rows.rowCount).map { try rows.int64($0, 0) }
    }
}
