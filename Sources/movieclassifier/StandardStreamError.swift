import Glibc

/// Reading standard input or writing standard output failed.
enum StandardStreamError: Error, CustomStringConvertible {
    case unreadable(Int32)
    case unwritable(Int32)

    var description: String {
        switch self {
        case .unreadable(let code): "cannot read standard input: \(String(cString: strerror(code)))"
        case .unwritable(let code): "cannot write standard output: \(String(cString: strerror(code)))"
        }
    }
}
