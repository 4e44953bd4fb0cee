import FeedbackStore

/// Where a worker finds its model, database and pages, and the trust rules it stores feedback
/// under.
struct WorkerSettings {
    let model: String
    let database: String
    let www: String
    let trust: TrustPolicy
    /// Whether `/status`, `/metrics` and `/admin/` are served (to requests not marked public).
    let operatorRoutes: Bool
}
