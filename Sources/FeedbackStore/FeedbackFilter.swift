/// Which rows an admin lists or exports.
public enum FeedbackFilter: Sendable {
    case all
    case rejected
    case notRejected
}
