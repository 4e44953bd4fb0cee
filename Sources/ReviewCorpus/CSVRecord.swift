import Glibc

/// One CSV record as read: its fields' bytes, the line it starts on, and the first breach of
/// RFC 4180 seen in it, if any.
public struct CSVRecord {
    public var fields: [[UInt8]] = []
    public var line = 0
    public var problem: String?
}
