/// Where each of the pool's counters lives in the cells the master and its workers share (one
/// `Int64` each): the writers add to a cell by its index, and a reader decodes a copy of them
/// all into a `PoolTelemetry`. Kept here, apart from the shared memory, so that both sides use
/// one layout and it is unit-tested without processes.
public enum TelemetryLayout {
    /// When the master started (Unix seconds); written by the master.
    public static let startedAt = 0
    /// The workers the pool keeps running; written by the master.
    public static let workers = 1
    /// Requests accepted by the pool's workers; added to by each worker.
    public static let accepted = 2
    /// The most workers the master has seen busy at once; written by the master.
    public static let maxActive = 3
    /// How often the master has found every worker busy; written by the master.
    public static let maxChildrenReached = 4

    /// Workers started to replace one that ended for `reason`; written by the master.
    public static func restarts(_ reason: RestartReason) -> Int { 5 + reason.rawValue }

    private static let firstPrediction = 5 + RestartReason.allCases.count
    /// Predictions answered with the label `positive` (true) or `negative`.
    public static func predictions(positive: Bool) -> Int { firstPrediction + (positive ? 1 : 0) }

    private static let firstOutcome = firstPrediction + 2
    public static func feedback(_ outcome: FeedbackOutcome) -> Int { firstOutcome + outcome.rawValue }

    private static let firstRequest = firstOutcome + FeedbackOutcome.allCases.count
    /// Requests to `route` answered with the status in column `codeIndex` (`ResponseCode`).
    public static func requests(_ route: RequestRoute, codeIndex: Int) -> Int {
        firstRequest + route.rawValue * ResponseCode.columns + codeIndex
    }

    private static let firstBucket = firstRequest + RequestRoute.allCases.count * ResponseCode.columns
    /// Requests to `route` whose duration fell in bucket `index` (`LatencyBuckets`), not
    /// cumulated.
    public static func durations(_ route: RequestRoute, bucket index: Int) -> Int {
        firstBucket + route.rawValue * LatencyBuckets.count + index
    }

    private static let firstSum = firstBucket + RequestRoute.allCases.count * LatencyBuckets.count
    /// The durations of the requests to `route`, summed, in nanoseconds.
    public static func durationSum(_ route: RequestRoute) -> Int { firstSum + route.rawValue }

    /// Cells in all.
    public static let count = firstSum + RequestRoute.allCases.count
}
