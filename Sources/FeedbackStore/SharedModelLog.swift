/// A feedback log that several hosts share keeps the model too, so that every host serves the
/// same one (issue 16): the model's versions, each a model file's bytes with its watermark,
/// the newest being the model. `update` and `rollback` publish a new version; every worker
/// copies the newest into its own model file (which it then maps and loads as on one host)
/// and replays the rows after its watermark. The earlier versions are the backups.
///
/// On one host the SQLite `FeedbackStore` does not conform: its model is the file and the
/// backups beside it.
public protocol SharedModelLog: FeedbackLog {
    /// Whether a version may have been published since the last call that said so, from what
    /// the log has already heard (no round trip): true at first, after a reconnect and at
    /// each poll too, since a notification can be missed. Valid after `hasChanged()`, which
    /// reads what was heard.
    func takeModelNotice() -> Bool
    /// The newest version, nil when none was ever published.
    func newestModelVersion() throws(FeedbackStoreError) -> ModelVersion?
    /// Every version kept, newest first.
    func modelVersions() throws(FeedbackStoreError) -> [ModelVersion]
    /// The model file's bytes of the version `id`, nil when there is no such version.
    func modelBytes(of id: Int64) throws(FeedbackStoreError) -> [UInt8]?
    /// Publishes `model` as the newest version, holding the log's lock (no feedback is stored
    /// and no decision made meanwhile), unless the generation is no longer `generation`: then
    /// nothing is published and it returns nil. Then deletes all but the newest `keep`
    /// versions (none when nil) and returns what it published and what it deleted.
    func publishModel(_ model: ModelPublication, ifGeneration generation: Int64?, keep: Int?) throws(FeedbackStoreError) -> (
        published: ModelVersion, removed: [ModelVersion]
    )?
    /// Publishes `model` only if no version exists yet (the first worker to start on a new
    /// database offers its file) and returns the newest version: `model`'s, or the one that
    /// was there.
    func publishFirstModel(_ model: ModelPublication) throws(FeedbackStoreError) -> ModelVersion
    /// Takes the lock that lets one `update` or `rollback` run at a time across every host
    /// sharing the log: false when another holds it. Released by `unlockModelChanges()`, or
    /// when the process ends however it ends.
    func lockModelChanges() throws(FeedbackStoreError) -> Bool
    func unlockModelChanges()
}
