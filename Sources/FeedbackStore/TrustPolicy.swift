/// The trust rules' settings, applied when a feedback is stored (`FeedbackStore.insert`): how
/// much one client may teach the model, and how much agreement a surprising correction needs.
/// The defaults are what a public site would choose; `movieclassifier-fcgi` takes each from an
/// option or a `MOVIECLASSIFIER_FEEDBACK_*` variable.
public struct TrustPolicy: Sendable, Equatable {
    /// Counted rows a client may add per window; later ones are held (`overBudget`).
    public var budget: Int
    /// Rows a client may store per window, held ones included; later ones are refused and not
    /// stored, so that a flood cannot fill the disk.
    public var storedLimit: Int
    /// The window's length, in seconds. Windows are counted from the Unix epoch, so 24 hours
    /// make a window of each UTC day: a budget starts afresh at midnight UTC.
    public var windowSeconds: Int
    /// Distinct clients who must give the same label on a text (or a near variant) before a
    /// correction of a confident verdict counts.
    public var agreement: Int
    /// The probability at or above which the model's verdict counts as confident.
    public var confidence: Double
    /// Off, every row counts and nothing is refused (the client is still recorded): for a site
    /// whose every visitor is trusted, such as an intranet, and for measuring what the rules cost.
    public var enabled: Bool

    public init(
        budget: Int = 20, storedLimit: Int = 100, windowSeconds: Int = 86_400, agreement: Int = 3, confidence: Double = 0.95, enabled: Bool = true
    ) {
        self.enabled = enabled
        self.budget = budget
        self.storedLimit = storedLimit
        self.windowSeconds = windowSeconds
        self.agreement = agreement
        self.confidence = confidence
    }

    /// The decision for a new row, from what the rows before it say (`TrustFacts`); nil when
    /// the row is refused.
    public func decide(_ facts: TrustFacts) -> FeedbackState? {
        guard enabled else { return .counts }
        if facts.storedInWindow >= storedLimit { return nil }
        if facts.repeatsOwnVote { return .repeated }
        if facts.contradictedConfidence >= confidence && facts.agreeingClients < agreement { return .needsAgreement }
        if facts.countedInWindow >= budget { return .overBudget }
        return .counts
    }
}
