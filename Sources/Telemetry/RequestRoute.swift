/// The routes the pool's request counters are kept by: a fixed set, so that the shared memory
/// has a cell for each and a metric's label never carries what a client sent (a path made up
/// by a scanner is `other`, not a new series).
public enum RequestRoute: Int, CaseIterable, Sendable {
    case form, results, thanks
    case model, predict, explain, feedback
    case livez, readyz, openAPI
    case status, metrics, admin
    case other

    /// The route `path` (without its query) is counted under.
    public init(path: String) {
        self =
            switch path {
            case "/": .form
            case "/results": .results
            case "/thanks": .thanks
            case "/v1/models/sentiment": .model
            case "/v1/models/sentiment:predict": .predict
            case "/v1/models/sentiment:explain": .explain
            case "/v1/models/sentiment:feedback": .feedback
            case "/livez": .livez
            case "/readyz": .readyz
            case "/openapi.json": .openAPI
            case "/status": .status
            case "/metrics": .metrics
            case "/admin/": .admin
            default: .other
            }
    }

    /// The `handler` label: the route's path, `other` for every path the application does not
    /// serve.
    public var label: String {
        switch self {
        case .form: "/"
        case .results: "/results"
        case .thanks: "/thanks"
        case .model: "/v1/models/sentiment"
        case .predict: "/v1/models/sentiment:predict"
        case .explain: "/v1/models/sentiment:explain"
        case .feedback: "/v1/models/sentiment:feedback"
        case .livez: "/livez"
        case .readyz: "/readyz"
        case .openAPI: "/openapi.json"
        case .status: "/status"
        case .metrics: "/metrics"
        case .admin: "/admin/"
        case .other: "other"
        }
    }
}
