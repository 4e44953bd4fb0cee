/// The `/metrics` page: the pool's request, prediction and feedback counters (pool-wide, from
/// the shared cells), its processes (from the scoreboard), the live model, and the feedback
/// figures of the database. Names follow Prometheus' conventions: one `movieclassifier_`
/// prefix, `_total` on counters, base units (`_seconds`), no label a client can make up.
public struct MetricsPage: Sendable {
    /// Nil outside a pool (a CGI process), whose counters would hold one request.
    public var pool: PoolStatus?
    public var model: ModelFacts?
    /// Nil when the database cannot be read: its series are left out, and
    /// `movieclassifier_feedback_database_up` says so.
    public var feedback: FeedbackTotals?

    public init(pool: PoolStatus?, model: ModelFacts?, feedback: FeedbackTotals?) {
        self.pool = pool
        self.model = model
        self.feedback = feedback
    }

    public func render() -> String {
        var page = MetricsText()
        if let pool { Self.write(pool, to: &page) }
        if let model { Self.write(model, to: &page) }
        page.family("movieclassifier_feedback_database_up", .gauge, help: "Whether the feedback database could be read for this page (1) or not (0).")
        page.sample("movieclassifier_feedback_database_up", feedback == nil ? 0 : 1)
        if let feedback { Self.write(feedback, to: &page) }
        return page.text
    }

    private static func write(_ pool: PoolStatus, to page: inout MetricsText) {
        let telemetry = pool.telemetry
        let requests = "movieclassifier_http_requests_total"
        page.family(requests, .counter, help: "Requests the pool's workers answered, by route and status code.")
        for route in RequestRoute.allCases {
            for column in 0..<ResponseCode.columns {
                let count = telemetry.requests(route, codeIndex: column)
                // Every route's 200 is known in advance and exported from the start; other codes once seen.
                if count > 0 || ResponseCode.label(column) == "200" {
                    page.sample(requests, [("handler", route.label), ("code", ResponseCode.label(column))], count)
                }
            }
        }
        let duration = "movieclassifier_http_request_duration_seconds"
        page.family(duration, .histogram, help: "How long the workers took to answer, from accepting the connection to the last byte, by route.")
        for route in RequestRoute.allCases {
            page.histogram(
                duration, [("handler", route.label)], bounds: LatencyBuckets.bounds,
                counts: (0..<LatencyBuckets.count).map { telemetry.durations(route, bucket: $0) },
                sum: Double(telemetry.durationSum(route)) / 1e9)
        }
        page.family("movieclassifier_http_requests_in_flight", .gauge, help: "Requests being served now, this scrape included.")
        page.sample("movieclassifier_http_requests_in_flight", Int64(pool.activeProcesses))

        let predictions = "movieclassifier_predictions_total"
        page.family(predictions, .counter, help: "Predictions answered (results pages and API texts), by label.")
        page.sample(predictions, [("label", "negative")], telemetry.predictions(positive: false))
        page.sample(predictions, [("label", "positive")], telemetry.predictions(positive: true))
        let outcomes = "movieclassifier_feedback_received_total"
        page.family(outcomes, .counter, help: "Feedback the workers were sent, by what the trust rules made of it.")
        for outcome in FeedbackOutcome.allCases { page.sample(outcomes, [("outcome", outcome.label)], telemetry.feedback(outcome)) }

        page.family("movieclassifier_pool_start_time_seconds", .gauge, help: "When the pool's master started, in Unix seconds.")
        page.sample("movieclassifier_pool_start_time_seconds", telemetry.startedAt)
        page.family("movieclassifier_pool_workers", .gauge, help: "Workers the pool keeps running (--workers).")
        page.sample("movieclassifier_pool_workers", telemetry.workers)
        page.family("movieclassifier_pool_accepted_connections_total", .counter, help: "Connections the pool's workers accepted.")
        page.sample("movieclassifier_pool_accepted_connections_total", telemetry.accepted)
        let processes = "movieclassifier_pool_processes"
        page.family(processes, .gauge, help: "The pool's worker processes, by state.")
        page.sample(processes, [("state", "idle")], Int64(pool.idleProcesses))
        page.sample(processes, [("state", "active")], Int64(pool.activeProcesses))
        page.sample(processes, [("state", "starting")], Int64(pool.processes.count { $0.state == .starting }))
        page.family("movieclassifier_pool_max_active_processes", .gauge, help: "The most workers the master has seen busy at once.")
        page.sample("movieclassifier_pool_max_active_processes", pool.maxActiveProcesses)
        page.family("movieclassifier_pool_max_children_reached_total", .counter, help: "Times the master found every worker busy.")
        page.sample("movieclassifier_pool_max_children_reached_total", telemetry.maxChildrenReached)
        let restarts = "movieclassifier_pool_worker_restarts_total"
        page.family(restarts, .counter, help: "Workers started to replace one that ended, by why it ended.")
        for reason in RestartReason.allCases { page.sample(restarts, [("reason", reason.label)], telemetry.restarts(reason)) }
    }

    private static func write(_ model: ModelFacts, to page: inout MetricsText) {
        page.family("movieclassifier_model_info", .gauge, help: "The live model: its version (the API's model_version) and variant.")
        page.sample("movieclassifier_model_info", [("version", model.version), ("variant", model.variant)], Int64(1))
        page.family("movieclassifier_model_watermark", .gauge, help: "The id of the last feedback row the live model has applied.")
        page.sample("movieclassifier_model_watermark", model.watermark)
    }

    private static func write(_ feedback: FeedbackTotals, to page: inout MetricsText) {
        let rows = "movieclassifier_feedback_rows_total"
        page.family(
            rows, .counter,
            help: "Feedback rows stored with the model's prediction, by that prediction and the visitor's truth (every host sharing the database).")
        for predicted in 0..<2 {
            for truth in 0..<2 {
                page.sample(rows, [("predicted", label(predicted)), ("truth", label(truth))], feedback.confusion[predicted][truth])
            }
        }
        page.family(
            "movieclassifier_feedback_held_rows", .gauge, help: "Feedback rows held by the trust rules for an admin or for more clients to agree.")
        page.sample("movieclassifier_feedback_held_rows", feedback.heldRows)
        page.family(
            "movieclassifier_feedback_latest_id", .gauge,
            help: "The newest feedback row's id: the model's watermark trails it by the rows still to apply.")
        page.sample("movieclassifier_feedback_latest_id", feedback.latestID)
    }

    private static func label(_ sentiment: Int) -> String { sentiment == 1 ? "positive" : "negative" }
}
