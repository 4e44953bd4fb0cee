import CFastCGI
import FeedbackStore
import Glibc
import Telemetry

/// The answers of a worker's requests whose feedback is committed but not yet synced to the
/// log, sent by a thread of their own once a sync that began after their commit has returned.
/// The worker goes on with its next request meanwhile, so its CPU work overlaps the fsync, and
/// every answer queued while a sync runs is covered by the next one.
///
/// The thread touches only what is handed to it: the finished answers with their libfcgi
/// requests (each then the thread's alone until it frees it), the log's own descriptor, and the
/// pool's counters (atomic). Its signals are blocked: the worker's stop signals reach the
/// worker's own thread, which drains this queue before it exits (`finish()`).
final class SyncedAnswers: @unchecked Sendable {
    /// One request's answer, waiting for the log's sync.
    struct Answer {
        let request: UnsafeMutablePointer<FCGX_Request>
        let head: [UInt8]
        let body: [UInt8]
        let route: RequestRoute
        let status: Int
        /// When the worker began the request (`Monotonic.now()`), for its duration.
        let started: Int64
    }

    private let log: LogFileSync
    private let scoreboard: Scoreboard
    /// Answers queued at most: past it the worker waits, as it would for the fsync itself.
    private let capacity: Int
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var queue: [Answer] = []
    private var stopping = false
    private var thread = pthread_t()

    init(log: LogFileSync, scoreboard: Scoreboard, capacity: Int = 64) {
        self.log = log
        self.scoreboard = scoreboard
        self.capacity = capacity
        pthread_mutex_init(lock, nil)
        pthread_cond_init(changed, nil)
        var all = sigset_t()
        var previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, &previous)
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<SyncedAnswers>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        precondition(created == 0, "cannot start the thread that syncs the feedback log: \(String(cString: strerror(created)))")
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(lock)
        changed.deallocate()
        lock.deallocate()
    }

    /// Hands `answer` over, to be sent after the next sync; waits while the queue is full.
    func send(_ answer: Answer) {
        pthread_mutex_lock(lock)
        while queue.count >= capacity { pthread_cond_wait(changed, lock) }
        queue.append(answer)
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
    }

    /// Sends every answer handed over, then stops the thread.
    func finish() {
        pthread_mutex_lock(lock)
        stopping = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
        pthread_join(thread, nil)
    }

    private func run() {
        while let answers = next() {
            // Every answer taken was handed over after its commit: this sync covers them all.
            var synced = true
            do {
                try log.sync()
            } catch {
                Log.error("cannot sync the feedback log, answering 503 to \(answers.count) feedback: \(error)")
                synced = false
            }
            for answer in answers {
                let status = synced ? answer.status : 503
                // Counted before the answer leaves, as the worker counts the others.
                scoreboard.recordRequest(answer.route, status: status, nanoseconds: Monotonic.now() - answer.started)
                if synced {
                    FastCGIResponder.finish(answer.request, writing: answer.head, answer.body)
                } else {
                    FastCGIResponder.finish(answer.request, writing: Self.notSaved)
                }
                answer.request.deallocate()
            }
        }
    }

    /// The answers queued, once there are any; nil once `finish()` is asked and none is left.
    private func next() -> [Answer]? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while queue.isEmpty && !stopping { pthread_cond_wait(changed, lock) }
        if queue.isEmpty { return nil }
        let answers = queue
        queue.removeAll(keepingCapacity: true)
        pthread_cond_broadcast(changed)
        return answers
    }

    /// The answer when the sync failed: whether the row survives is not known, so the visitor
    /// is not thanked.
    static let notSaved = Array(
        "Status: 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 5\r\n\r\nFeedback not saved: please try again.\n"
            .utf8)
}
