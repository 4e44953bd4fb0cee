/// The pool's counters at one moment, decoded from a copy of the shared cells: what every
/// worker has counted since the master started, so any worker answering a scrape reports the
/// whole pool rather than its own share.
public struct PoolTelemetry: Sendable, Equatable {
    public var cells: [Int64]

    /// - Parameter cells: `TelemetryLayout.count` values, in its layout.
    public init(cells: [Int64]) {
        precondition(cells.count == TelemetryLayout.count, "\(cells.count) cells, the layout has \(TelemetryLayout.count)")
        self.cells = cells
    }

    /// No request counted yet.
    public static var zero: PoolTelemetry { PoolTelemetry(cells: Array(repeating: 0, count: TelemetryLayout.count)) }

    public var startedAt: Int64 { cells[TelemetryLayout.startedAt] }
    public var workers: Int64 { cells[TelemetryLayout.workers] }
    public var accepted: Int64 { cells[TelemetryLayout.accepted] }
    public var maxActive: Int64 { cells[TelemetryLayout.maxActive] }
    public var maxChildrenReached: Int64 { cells[TelemetryLayout.maxChildrenReached] }

    public func restarts(_ reason: RestartReason) -> Int64 { cells[TelemetryLayout.restarts(reason)] }
    public func predictions(positive: Bool) -> Int64 { cells[TelemetryLayout.predictions(positive: positive)] }
    public func feedback(_ outcome: FeedbackOutcome) -> Int64 { cells[TelemetryLayout.feedback(outcome)] }
    public func requests(_ route: RequestRoute, codeIndex: Int) -> Int64 { cells[TelemetryLayout.requests(route, codeIndex: codeIndex)] }
    public func durations(_ route: RequestRoute, bucket: Int) -> Int64 { cells[TelemetryLayout.durations(route, bucket: bucket)] }
    public func durationSum(_ route: RequestRoute) -> Int64 { cells[TelemetryLayout.durationSum(route)] }
}
