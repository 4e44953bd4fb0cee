import SentimentModel

/// Told what the application answered, for the pool's counters (`/metrics`): the process
/// running it keeps them where every worker adds to the same ones.
public protocol UsageCounter: AnyObject {
    /// A prediction was answered (a results page, each text of an API batch).
    func predicted(_ sentiment: Sentiment)
    /// A feedback was received, and this became of it.
    func receivedFeedback(_ receipt: FeedbackReceipt)
}
