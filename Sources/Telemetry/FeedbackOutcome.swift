/// What became of a feedback a worker was sent, for the counter by trust outcome.
public enum FeedbackOutcome: Int, CaseIterable, Sendable {
    /// Stored, and the live models learn it.
    case counted
    /// Stored, held by the trust rules for an admin or for more clients to agree.
    case held
    /// Stored; the client had said the same of this text before, so it adds nothing.
    case repeated
    /// Not stored: the client is past its limit in the window (a 429).
    case refused

    public var label: String {
        switch self {
        case .counted: "counted"
        case .held: "held"
        case .repeated: "repeat"
        case .refused: "refused"
        }
    }
}
