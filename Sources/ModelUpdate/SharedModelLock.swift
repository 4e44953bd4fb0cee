import FeedbackStore

/// The shared log's model lock, held while an update or a rollback publishes a version, so
/// that two of them on different hosts never interleave: what `FolderLock` is on one host.
/// The server releases it when the command's session ends, however it ends.
struct SharedModelLock {
    private let log: any SharedModelLog

    init(_ log: any SharedModelLog) throws(ModelUpdateError) {
        let locked: Bool
        do {
            locked = try log.lockModelChanges()
        } catch {
            throw .feedback(error)
        }
        guard locked else { throw .busyElsewhere(database: log.location) }
        self.log = log
    }

    func release() {
        log.unlockModelChanges()
    }
}
