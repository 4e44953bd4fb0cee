import FeedbackStore
import PostgreSQLClient

extension PostgreSQLFeedbackStore: SharedModelLog {
    public func takeModelNotice() -> Bool {
        defer { modelNotice = false }
        return modelNotice
    }

    public func newestModelVersion() throws(FeedbackStoreError) -> ModelVersion? {
        try run("read the newest model version") { connection in
            try Self.versions(connection.execute("SELECT \(Self.versionColumnsSQL) FROM model_version ORDER BY id DESC LIMIT 1")).first
        }
    }

    public func modelVersions() throws(FeedbackStoreError) -> [ModelVersion] {
        try run("list the model versions") { connection in
            try Self.versions(connection.execute("SELECT \(Self.versionColumnsSQL) FROM model_version ORDER BY id DESC"))
        }
    }

    public func modelBytes(of id: Int64) throws(FeedbackStoreError) -> [UInt8]? {
        try run("read model version \(id)") { connection in
            let result = try connection.execute("SELECT model FROM model_version WHERE id = $1", [String(id)])
            return result.rowCount == 0 ? nil : try result.bytes(0, 0)
        }
    }

    public func publishModel(_ model: ModelPublication, ifGeneration generation: Int64?, keep: Int?) throws(FeedbackStoreError) -> (
        published: ModelVersion, removed: [ModelVersion]
    )? {
        precondition(keep.map { $0 > 0 } ?? true, "the version published is kept")
        return try transaction("publish the model") { connection in
            try Self.lockLog(connection)
            if let generation, try connection.execute("SELECT generation FROM feedback_generation").int64(0, 0) != generation { return nil }
            let published = try Self.insertVersion(model, connection)
            var removed: [ModelVersion] = []
            if let keep {
                removed = try Self.versions(
                    connection.execute(
                        """
                        DELETE FROM model_version WHERE id NOT IN (SELECT id FROM model_version ORDER BY id DESC LIMIT $1)
                            RETURNING \(Self.versionColumnsSQL)
                        """, [String(keep)])
                ).sorted { $0.id > $1.id }
            }
            return (published, removed)
        }
    }

    public func publishFirstModel(_ model: ModelPublication) throws(FeedbackStoreError) -> ModelVersion {
        try transaction("publish the first model") { connection in
            try Self.lockLog(connection)
            if let newest = try Self.versions(connection.execute("SELECT \(Self.versionColumnsSQL) FROM model_version ORDER BY id DESC LIMIT 1"))
                .first
            {
                return newest
            }
            return try Self.insertVersion(model, connection)
        }
    }

    public func lockModelChanges() throws(FeedbackStoreError) -> Bool {
        try run("lock the model") { connection in
            try connection.execute("SELECT pg_try_advisory_lock($1)", [String(Self.modelLockKey)]).bool(0, 0)
        }
    }

    public func unlockModelChanges() {
        // Should the connection have broken meanwhile, the session ended and the lock with it.
        _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [String(Self.modelLockKey)])
    }

    /// INSERTs a version and NOTIFYs it (delivered at COMMIT): the caller's transaction holds
    /// the log's lock, so versions, like rows, become visible in id order.
    static func insertVersion(_ model: ModelPublication, _ connection: PostgreSQLConnection) throws -> ModelVersion {
        let inserted = try connection.execute(
            """
            INSERT INTO model_version (model, checksum, watermark, created_by, origin) VALUES ($1::bytea, $2, $3, $4, $5)
                RETURNING \(versionColumnsSQL)
            """,
            [PostgreSQLBytes.literal(model.bytes), String(model.checksum), String(model.watermark), model.createdBy, model.origin])
        try connection.execute("SELECT pg_notify($1, $2)", [channel, modelPayload])
        return try versions(inserted)[0]
    }

    private static let versionColumnsSQL = "id, checksum, watermark, octet_length(model), created, created_by, origin"

    private static func versions(_ result: PostgreSQLResult) throws(PostgreSQLError) -> [ModelVersion] {
        var versions: [ModelVersion] = []
        for row in 0..<result.rowCount {
            let checksum = try result.int64(row, 1)
            guard let checksum = UInt32(exactly: checksum) else {
                throw .unexpectedValue(row: row, column: "checksum", value: String(checksum), expected: "a CRC-32")
            }
            versions.append(
                ModelVersion(
                    id: try result.int64(row, 0), checksum: checksum, watermark: try result.int64(row, 2), size: Int(try result.int64(row, 3)),
                    created: result[row, 4] ?? "", createdBy: result[row, 5] ?? "", origin: result[row, 6] ?? ""))
        }
        return versions
    }
}
