/// Prometheus' text exposition format (version 0.0.4), written family by family: `# HELP` and
/// `# TYPE` before a family's samples, label values escaped as the format asks.
public struct MetricsText: Sendable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// `text/plain; version=0.0.4`: what Prometheus and its parsers expect.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public private(set) var text = ""

    public init() {}

    /// Starts the family `name`; its samples follow.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        text += "# HELP \(name) \(Self.escapedHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample: `name{label="value",...} value`.
    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Int64) {
        text += name + Self.labelSet(labels) + " " + String(value) + "\n"
    }

    /// One sample without labels.
    public mutating func sample(_ name: String, _ value: Int64) {
        sample(name, [], value)
    }

    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        text += name + Self.labelSet(labels) + " " + Self.number(value) + "\n"
    }

    /// A histogram's samples: cumulative `_bucket`s up to `le="+Inf"`, `_sum` and `_count`,
    /// from `counts`, one per bucket of `bounds` and one past the last (not cumulated).
    public mutating func histogram(_ name: String, _ labels: [(String, String)], bounds: [Double], counts: [Int64], sum: Double) {
        var cumulated: Int64 = 0
        for (index, count) in counts.enumerated() {
            cumulated += count
            let bound = index < bounds.count ? Self.number(bounds[index]) : "+Inf"
            sample(name + "_bucket", labels + [("le", bound)], cumulated)
        }
        sample(name + "_sum", labels, sum)
        sample(name + "_count", labels, cumulated)
    }

    private static func labelSet(_ labels: [(String, String)]) -> String {
        labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(escapedLabelValue($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapedLabelValue(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Help texts escape backslash and line feed.
    static func escapedHelp(_ help: String) -> String {
        help.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    /// `0.005`, `10`, `NaN`, `+Inf`: Go's `ParseFloat` reads them all.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
