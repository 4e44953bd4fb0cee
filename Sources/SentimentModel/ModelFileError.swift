import Glibc
import Support

/// Why a model file was refused. Every message names the file and says what to do.
public enum ModelFileError: Error, CustomStringConvertible, Sendable {
    case unreadable(AtomicFile.Failure)
    case notAModelFile(path: String, hint: String)
    case unsupportedVersion(path: String, version: UInt32)
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    case trailingBytes(path: String, expectedBytes: Int, actualBytes: Int)
    case checksumMismatch(path: String)
    case invalid(path: String, detail: String)
    case incompatible(path: String, detail: String)
    case unwritable(AtomicFile.Failure)

    public var description: String {
        switch self {
        case .unreadable(let failure), .unwritable(let failure):
            return failure.description
        case .notAModelFile(let path, let hint):
            return "\(path): not a movieclassifier model file. \(hint)"
        case .unsupportedVersion(let path, let version):
            return
                "\(path): model format version \(version) is not supported; this build reads versions \(ModelFile.versions.lowerBound) to \(ModelFile.versions.upperBound). Use the movieclassifier that wrote it, or retrain."
        case .truncated(let path, let expected, let actual):
            return
                "\(path): truncated: the header announces \(expected) bytes but the file has \(actual). Restore it from a backup (classifier_YYYYMMDD-HHMMSS) or retrain."
        case .trailingBytes(let path, let expected, let actual):
            return
                "\(path): damaged: \(actual - expected) unexpected bytes after the end of the model (\(expected) bytes). Restore it from a backup or retrain."
        case .checksumMismatch(let path):
            return "\(path): corrupt: the checksum does not match the contents. Restore it from a backup or retrain."
        case .invalid(let path, let detail):
            return "\(path): corrupt: \(detail). Restore it from a backup or retrain."
        case .incompatible(let path, let detail):
            return "\(path): incompatible with this build: \(detail)."
        }
    }
}
