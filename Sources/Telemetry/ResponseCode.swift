/// The status codes the request counters are kept by: every code the application answers,
/// and one cell for any other.
public enum ResponseCode {
    public static let counted: [Int] = [200, 303, 400, 403, 404, 405, 413, 415, 429, 500, 503]

    /// The counters' column of `status`: its place in `counted`, or `counted.count` for any
    /// other code.
    public static func index(of status: Int) -> Int {
        counted.firstIndex(of: status) ?? counted.count
    }

    /// The `code` label of column `index`.
    public static func label(_ index: Int) -> String {
        index < counted.count ? String(counted[index]) : "other"
    }

    /// Columns in all: the counted codes and `other`.
    public static var columns: Int { counted.count + 1 }
}
