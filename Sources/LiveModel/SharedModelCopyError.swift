/// Why a worker could not copy a shared log's model version into its model file. It keeps
/// the model it holds meanwhile, and tries again at the log's next notice.
public enum SharedModelCopyError: Error, CustomStringConvertible, Sendable {
    /// The bytes fetched do not match the version's checksum.
    case damaged(version: Int64, log: String)

    public var description: String {
        switch self {
        case .damaged(let version, let log):
            "\(log): model version \(version) does not match its checksum; it was not copied. Publish a good model again (movieclassifier rollback)."
        }
    }
}
