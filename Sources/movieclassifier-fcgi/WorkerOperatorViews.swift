import FeedbackStore
import Glibc
import LiveModel
import Telemetry
import WebApp

/// What a worker shows on the operator's private routes: the whole pool from the shared
/// scoreboard (whichever worker answers), its own live model, the feedback database.
final class WorkerOperatorViews: OperatorViews {
    /// Nil in a CGI process, which has no pool.
    let scoreboard: Scoreboard?
    let classifier: LiveClassifier
    let store: any FeedbackLog
    let admin: () throws -> [UInt8]

    init(scoreboard: Scoreboard?, classifier: LiveClassifier, store: any FeedbackLog, admin: @escaping () throws -> [UInt8]) {
        self.scoreboard = scoreboard
        self.classifier = classifier
        self.store = store
        self.admin = admin
    }

    func status(_ format: StatusFormat) -> String? {
        poolStatus?.render(format)
    }

    func metrics() -> String {
        var model: ModelFacts?
        if (try? classifier.catchUp()) != nil {
            model = ModelFacts(
                version: classifier.modelVersion, variant: classifier.classifier.vectorizer.variant.rawValue, watermark: classifier.watermark)
        }
        let feedback = (try? store.tally()).map { tally in
            let table = tally.confusion
            return FeedbackTotals(
                confusion: [
                    [Int64(table.predictedNegativeTruthNegative), Int64(table.predictedNegativeTruthPositive)],
                    [Int64(table.predictedPositiveTruthNegative), Int64(table.predictedPositiveTruthPositive)],
                ], heldRows: tally.heldRows, latestID: tally.latestID)
        }
        return MetricsPage(pool: poolStatus, model: model, feedback: feedback).render()
    }

    func adminPage() throws -> [UInt8] {
        try admin()
    }

    private var poolStatus: PoolStatus? {
        guard let scoreboard else { return nil }
        return PoolStatus(telemetry: scoreboard.telemetry, processes: scoreboard.processes(now: Monotonic.now()), now: Int64(time(nil)))
    }
}
