/// Why a labelled-review file could not be read. Messages name the file and the line.
public enum CorpusError: Error, CustomStringConvertible, Equatable, Sendable {
    case cannotOpen(path: String, reason: String)
    case unreadable(path: String, reason: String)
    case badHeader(path: String, found: String)
    case malformedRow(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open: \(reason)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason) (a damaged or incomplete .gz file?)"
        case .badHeader(let path, let found):
            return "\(path):1: the first line must be a CSV header with the columns review and sentiment (the book's movie_data.csv), found \(found)"
        case .malformedRow(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        }
    }
}
