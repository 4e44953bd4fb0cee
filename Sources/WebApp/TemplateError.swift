import Glibc
import Mustache
import SentimentModel
import Support

/// Why the page templates could not be loaded when a worker starts; the message names the file.
public enum TemplateError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the page template: \(reason)"
        case .invalid(let path, let reason): "\(path): not a valid Mustache template: \(reason)"
        }
    }
}
