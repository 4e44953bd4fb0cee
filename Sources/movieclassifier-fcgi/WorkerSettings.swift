import FeedbackStore

/// Where a worker finds its model, database and pages, and the trust rules it stores feedback
/// under.
struct WorkerSettings {
    let model: String
    let database: String
    /// The form-signing key's file: beside an SQLite database by default; with PostgreSQL, the
    /// same file on every host (a page signed by one host is checked by another).
    let key: String
    let www: String
    let trust: TrustPolicy
    /// Whether `/status`, `/metrics` and `/admin/` are served (to requests not marked public).
    let operatorRoutes: Bool
}
