/// What the trust rules decided for a feedback row when it was stored (the `state` column),
/// from the rows before it: stored with the row, so every reader (the workers, the CGI mode,
/// `update`) reads the same decision and none decides again.
public enum FeedbackState: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// It counts: the live models learn it (unless another rule skips it).
    case counts
    /// The same client already sent this review, or a near variant of it, with this label:
    /// one vote per client and text.
    case repeated = "repeat"
    /// Past its client's budget of counted rows in the window: held until an admin accepts it.
    case overBudget = "over-budget"
    /// It contradicts a verdict the model was very sure of, and too few distinct clients have
    /// said the same about the text or its variants yet: held until they have, or an admin
    /// accepts it.
    case needsAgreement = "needs-agreement"
    /// A held row an admin accepted: it counts.
    case accepted

    /// Stored, but learned by nobody until an admin accepts it.
    public var isHeld: Bool { self == .overBudget || self == .needsAgreement }

    public var description: String {
        switch self {
        case .counts: "counts"
        case .repeated: "repeats the client's own vote on this text"
        case .overBudget: "held: over its client's budget"
        case .needsAgreement: "held: contradicts a confident verdict, needs more clients to agree"
        case .accepted: "accepted by an admin"
        }
    }
}
