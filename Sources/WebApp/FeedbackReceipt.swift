/// What became of a visitor's feedback, as the service reports it.
public enum FeedbackReceipt: String, Sendable, Equatable {
    /// Stored, and the live model learned it.
    case counted
    /// Stored, and held by the trust rules until an admin accepts it (or, for a correction of
    /// a confident verdict, until enough clients agree).
    case held
    /// Stored; the same client had given this label to this text already, so it adds nothing.
    case repeated
    /// Not stored: the client has sent too much feedback in the window.
    case refused
}
