/// One model saved in a log that several hosts share (`SharedModelLog`): what identifies it
/// and where it came from. Its bytes, a model file's, are fetched apart
/// (`SharedModelLog.modelBytes(of:)`): a list of versions does not carry megabytes.
public struct ModelVersion: Sendable, Equatable {
    /// Ascending with each version published: the newest is the one every host serves.
    public let id: Int64
    /// The model file's CRC-32 (its trailer): equal checksums, equal files.
    public let checksum: UInt32
    /// The id of the last feedback row folded into it.
    public let watermark: Int64
    /// The file's size in bytes.
    public let size: Int
    /// When it was published: UTC, `YYYY-MM-DD HH:MM:SS`.
    public let created: String
    /// Who published it: the account and host of the command (`root@host-a`).
    public let createdBy: String
    /// What made it: `update`, `rollback to version 3`, `migrate from data/feedback.sqlite`…
    public let origin: String

    public init(id: Int64, checksum: UInt32, watermark: Int64, size: Int, created: String, createdBy: String, origin: String) {
        self.id = id
        self.checksum = checksum
        self.watermark = watermark
        self.size = size
        self.created = created
        self.createdBy = createdBy
        self.origin = origin
    }
}
