/// An answer of the JSON API other than a success: its status, and what the client is told,
/// sent as `application/problem+json` (RFC 9457) with an `error` member as well, so that
/// clients of TF Serving, KServe and Hugging Face, which read `error`, read it too.
enum APIProblem: Error, Equatable {
    case notFound
    case methodNotAllowed(allow: String)
    case bodyTooLarge(limit: Int)
    case unsupportedMediaType
    /// The body is not the JSON the operation takes; `detail` says what is wrong.
    case invalidBody(detail: String)
    /// A feedback whose signature does not match its text and label.
    case forgedFeedback
    case unavailable
    case feedbackNotSaved
    case tooMuchFeedback

    var status: Int {
        switch self {
        case .notFound: 404
        case .methodNotAllowed: 405
        case .bodyTooLarge: 413
        case .unsupportedMediaType: 415
        case .invalidBody: 400
        case .forgedFeedback: 403
        case .unavailable, .feedbackNotSaved: 503
        case .tooMuchFeedback: 429
        }
    }

    var title: String {
        switch self {
        case .notFound: "Not Found"
        case .methodNotAllowed: "Method Not Allowed"
        case .bodyTooLarge: "Content Too Large"
        case .unsupportedMediaType: "Unsupported Media Type"
        case .invalidBody: "Bad Request"
        case .forgedFeedback: "Forbidden"
        case .unavailable, .feedbackNotSaved: "Service Unavailable"
        case .tooMuchFeedback: "Too Many Requests"
        }
    }

    var detail: String {
        switch self {
        case .notFound: "No such resource; the API is described at /openapi.json."
        case .methodNotAllowed(let allow): "This resource answers \(allow) only."
        case .bodyTooLarge(let limit): "The body is larger than the \(limit) bytes accepted."
        case .unsupportedMediaType: "Send the body as application/json (UTF-8)."
        case .invalidBody(let detail): detail
        case .forgedFeedback: "The signature does not match the text and label: feedback is taken only on a prediction this service made."
        case .unavailable: "The classifier cannot answer right now; try again in a moment."
        case .feedbackNotSaved: "The feedback could not be stored, so nothing was recorded; send it again in a moment."
        case .tooMuchFeedback: "This client has sent more feedback than is stored in a day; nothing was recorded."
        }
    }

    /// Headers beside the body's: `Allow` for a 405, `Retry-After` where waiting helps.
    var headers: [(name: String, value: String)] {
        switch self {
        case .methodNotAllowed(let allow): [("Allow", allow)]
        case .unavailable, .feedbackNotSaved: [("Retry-After", "5")]
        case .tooMuchFeedback: [("Retry-After", "3600")]
        default: []
        }
    }
}
