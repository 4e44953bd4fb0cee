import Glibc

/// A model file to publish as the next `ModelVersion` of a shared log.
public struct ModelPublication: Sendable {
    /// The file's bytes, its checksum trailer included.
    public let bytes: [UInt8]
    /// The file's CRC-32, as its trailer holds it.
    public let checksum: UInt32
    /// The id of the last feedback row folded into it.
    public let watermark: Int64
    /// Who publishes it (`ModelVersion.createdBy`).
    public let createdBy: String
    /// What made it (`ModelVersion.origin`).
    public let origin: String

    public init(bytes: [UInt8], checksum: UInt32, watermark: Int64, createdBy: String = Self.thisAccount, origin: String) {
        self.bytes = bytes
        self.checksum = checksum
        self.watermark = watermark
        self.createdBy = createdBy
        self.origin = origin
    }

    /// This process's account and host, `root@host-a`: who publishes, by default.
    public static var thisAccount: String {
        let user = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        var host = [UInt8](repeating: 0, count: 256)
        guard gethostname(&host, host.count - 1) == 0 else { return user }
        return "\(user)@\(String(decoding: host.prefix { $0 != 0 }, as: UTF8.self))"
    }
}
