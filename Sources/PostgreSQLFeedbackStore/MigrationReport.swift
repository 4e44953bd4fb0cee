import FeedbackStore

/// What `PostgreSQLFeedbackStore.migrate(from:model:)` copied.
public struct MigrationReport: Sendable {
    /// Rows copied, with their ids.
    public var rows = 0
    /// The newest id copied (0 for an empty log): the next row stored gets a higher one.
    public var latestID: Int64 = 0
    /// Rows an admin had rejected.
    public var rejected = 0
    /// Rows the trust rules held (over a budget, waiting for agreement).
    public var held = 0
    /// Budget windows copied.
    public var budgets = 0
    /// The admins' decisions counted, as the generation stood.
    public var generation: Int64 = 0
    /// The model, published as the first version.
    public var model: ModelVersion?
}
