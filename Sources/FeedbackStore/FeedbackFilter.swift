/// Which rows an admin lists or exports.
public enum FeedbackFilter: Sendable {
    case all
    case rejected
    case notRejected
    /// Held by the trust rules, waiting for an admin (and not rejected).
    case held
    /// One client's rows.
    case client(String)
}
