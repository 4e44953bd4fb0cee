/// What the rows before a new feedback say about it: the inputs of `TrustPolicy.decide`, read in
/// the transaction that stores it, so that no other row can come between.
public struct TrustFacts: Sendable, Equatable {
    /// Rows its client stored in the current window, in any state.
    public var storedInWindow: Int
    /// Rows of its client in the current window that counted when stored.
    public var countedInWindow: Int
    /// Its client already sent this review, or a near variant, with the same label.
    public var repeatsOwnVote: Bool
    /// How sure the model was of the other label when the row was stored: P(negative) for a
    /// positive label, P(positive) for a negative one; 0 when unknown.
    public var contradictedConfidence: Double
    /// Distinct clients, this one included, whose rows (not rejected) give this label to this
    /// review or a near variant.
    public var agreeingClients: Int

    public init(storedInWindow: Int, countedInWindow: Int, repeatsOwnVote: Bool, contradictedConfidence: Double, agreeingClients: Int) {
        self.storedInWindow = storedInWindow
        self.countedInWindow = countedInWindow
        self.repeatsOwnVote = repeatsOwnVote
        self.contradictedConfidence = contradictedConfidence
        self.agreeingClients = agreeingClients
    }
}
