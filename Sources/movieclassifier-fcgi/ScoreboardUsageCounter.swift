import SentimentModel
import Telemetry
import WebApp

/// Counts a worker's predictions and feedback in the pool's shared counters.
final class ScoreboardUsageCounter: UsageCounter {
    let scoreboard: Scoreboard

    init(scoreboard: Scoreboard) {
        self.scoreboard = scoreboard
    }

    func predicted(_ sentiment: Sentiment) {
        scoreboard.add(1, at: TelemetryLayout.predictions(positive: sentiment == .positive))
    }

    func receivedFeedback(_ receipt: FeedbackReceipt) {
        let outcome: FeedbackOutcome =
            switch receipt {
            case .counted: .counted
            case .held: .held
            case .repeated: .repeated
            case .refused: .refused
            }
        scoreboard.add(1, at: TelemetryLayout.feedback(outcome))
    }
}
