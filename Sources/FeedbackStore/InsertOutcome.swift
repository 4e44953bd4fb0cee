/// What became of a feedback given to `FeedbackStore.insert(_:policy:)`.
public enum InsertOutcome: Sendable, Equatable {
    /// Stored durably with this id, in this state.
    case stored(id: Int64, state: FeedbackState)
    /// Not stored: its client has stored `TrustPolicy.storedLimit` rows in the window already.
    case refused
}
