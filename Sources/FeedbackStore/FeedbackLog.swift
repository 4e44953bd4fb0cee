/// The feedback log as the workers, the update tool and the admin pages use it, whatever holds
/// it: `FeedbackStore` (an SQLite file, one machine) today, a PostgreSQL database shared by
/// several hosts next (issue 16). Its promises are the log's, not the engine's:
///
/// - ids are given in commit order and never reused, so a reader that applies "the rows after
///   my watermark, in id order" misses none and applies each once;
/// - `insert` returns only once the row is durable (or, for an SQLite store told to leave the
///   sync to its caller, `FeedbackStore.defersLogSync`, once it is committed: the caller syncs
///   before it acknowledges), with what the trust rules decided from every row before it;
/// - `hasChanged()` is cheap enough to call before every answer, and never misses a commit
///   (it may report one that changed nothing);
/// - an admin decision (`setRejected`) moves the `generation` in the same transaction.
///
/// One log object is used by one thread at a time.
public protocol FeedbackLog: AnyObject {
    /// Where the log is, as messages name it (a file's path; a server, password masked).
    var location: String { get }
    /// A counter every writer moves after it commits, read without a system call, for a
    /// worker's check before each answer; nil where the log has none (see `hasChanged()`).
    var changeCount: Int64? { get }

    /// Stores a row written outside the trust rules (an admin's, the book's scripts'): trusted.
    @discardableResult
    func insert(review: String, sentiment: Int) throws(FeedbackStoreError) -> Int64
    /// Stores a visitor's feedback with what the trust rules decide for it, or refuses it.
    func insert(_ feedback: NewFeedback, policy: TrustPolicy) throws(FeedbackStoreError) -> InsertOutcome
    /// Stores a visitor's feedback as `insert(_:policy:)` does and, when it is stored and the log
    /// can tell at little cost, the row as readers read it and the generation it was stored
    /// under (see `StoredFeedback`).
    func insertDescribing(_ feedback: NewFeedback, policy: TrustPolicy) throws(FeedbackStoreError) -> (InsertOutcome, StoredFeedback?)

    /// Calls `body` with each of at most `limit` rows after `id` up to `last` that `filter`
    /// keeps, in ascending id; returns how many there were.
    @discardableResult
    func forEachRow(after id: Int64, through last: Int64, limit: Int, filter: FeedbackFilter, _ body: (FeedbackRow) -> Void)
        throws(FeedbackStoreError) -> Int
    func ids(ofClient client: String) throws(FeedbackStoreError) -> [Int64]
    func clients(limit: Int) throws(FeedbackStoreError) -> [ClientSummary]

    /// Counts every admin decision to reject or accept a row.
    func generation() throws(FeedbackStoreError) -> Int64
    /// The generation and at most `limit` rows after `id`, rejected or not, in ascending id:
    /// what a worker reads when the log has changed, in one read where the engine allows it.
    func news(after id: Int64, limit: Int) throws(FeedbackStoreError) -> (generation: Int64, rows: [FeedbackRow])
    /// The newest id and the generation, read together.
    func snapshot() throws(FeedbackStoreError) -> FeedbackSnapshot
    /// Whether anything was committed since the previous call.
    func hasChanged() throws(FeedbackStoreError) -> Bool
    func setRejected(_ rejected: Bool, ids: [Int64]) throws(FeedbackStoreError) -> RejectionChange
    /// Runs `body` while no row can be stored, rejected or accepted, with the generation.
    func holdingWriteLock<T>(_ body: (_ generation: Int64) -> T) throws(FeedbackStoreError) -> T

    /// The metrics page's figures.
    func tally() throws(FeedbackStoreError) -> FeedbackTally
    /// The admin page's figures.
    func statistics(days: Int, maximumBlocks: Int) throws(FeedbackStoreError) -> FeedbackStatistics
    /// The reviews of the newest `limit` rows not rejected, newest first.
    func recentReviews(limit: Int) throws(FeedbackStoreError) -> [String]
}

extension FeedbackLog {
    /// At most `limit` rows with an id above `id` and at most `last` that `filter` keeps, in
    /// ascending id: a reader walks the log in batches, so its memory stays bounded.
    public func rows(after id: Int64, through last: Int64 = .max, limit: Int, filter: FeedbackFilter = .all) throws(FeedbackStoreError)
        -> [FeedbackRow]
    {
        var rows: [FeedbackRow] = []
        try forEachRow(after: id, through: last, limit: limit, filter: filter) { rows.append($0) }
        return rows
    }

    @discardableResult
    public func forEachRow(after id: Int64, through last: Int64 = .max, limit: Int, _ body: (FeedbackRow) -> Void) throws(FeedbackStoreError)
        -> Int
    {
        try forEachRow(after: id, through: last, limit: limit, filter: .all, body)
    }

    /// The outcome alone, for a log that cannot describe the row cheaply: its caller then reads
    /// the log back as after any change.
    public func insertDescribing(_ feedback: NewFeedback, policy: TrustPolicy) throws(FeedbackStoreError) -> (InsertOutcome, StoredFeedback?) {
        (try insert(feedback, policy: policy), nil)
    }

    /// The generation, then the rows: two reads, for a log that has no cheaper way.
    public func news(after id: Int64, limit: Int) throws(FeedbackStoreError) -> (generation: Int64, rows: [FeedbackRow]) {
        (try generation(), try rows(after: id, limit: limit))
    }

    /// The row with this id, nil when there is none.
    public func row(id: Int64) throws(FeedbackStoreError) -> FeedbackRow? {
        try rows(after: id - 1, through: id, limit: 1).first
    }

    /// The id of the newest row, 0 when there is none.
    public func latestID() throws(FeedbackStoreError) -> Int64 {
        try snapshot().latestID
    }
}
