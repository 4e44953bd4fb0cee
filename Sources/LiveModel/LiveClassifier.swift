import FeedbackStore
import SentimentModel

/// A worker's resident model, kept to the one rule that makes every worker agree:
/// **the model file + every feedback row after its watermark, applied in id order.**
///
/// Before it classifies, it catches up: it reloads the model file if the file has been
/// replaced (by the update tool, or a rollback), then applies the rows any worker has stored
/// since. A feedback is stored durably first, then learned in id order with everyone else's:
/// folded at once when its id is the next after the watermark and nothing else was announced
/// (`followsDirectly`), otherwise through the same catch-up; so all workers hold the same
/// weights, bit for bit.
///
/// An admin's reject or accept changes which rows count, rows already applied included, so
/// the worker then rebuilds: it reloads the model file and applies the rows after its
/// watermark again. It notices through the feedback generation, a counter every such decision
/// moves in the same transaction.
///
/// Before every call it reads the store's change counter, a load from shared memory that every
/// process of this project moves after it commits (`FeedbackStore.changeCount`); only when it
/// moved, or once every `fullCheckInterval` for writers that do not move it, does it look: one
/// `stat(2)` of the model file and one `PRAGMA data_version`, a few microseconds, and the
/// generation only when something was committed (`ChangeCheck`). So the request after a change
/// by any worker, CGI process or admin command already sees it. Used by one thread.
///
/// A worker that starts takes up the live model another saved part way along the log
/// (`ResumePoint`), when it is exactly what the rule gives, and folds only the rows after it;
/// each worker saves it there as its watermark passes every `ResumePoint.interval` rows.
///
/// With a log that several hosts share (`SharedModelLog`, PostgreSQL), the model is the log's
/// newest model version: the model file is this host's copy of it, written by the worker
/// when the log announces a new version, then loaded as any replaced file. There the log has
/// no change counter and is asked before every answer (a read of what its socket holds), and
/// the file is looked at only when the log reports a change: a file replaced by hand rather
/// than published is never served: the next change the log reports (within its
/// `pollInterval` at most) puts the newest version back first.
public final class LiveClassifier {
    /// The model file the live model starts from.
    public let modelPath: String
    /// Rows read per query while catching up: memory stays bounded however many are pending.
    public let batchSize: Int
    /// The live model. Its `watermark` is the id of the last row applied.
    public private(set) var classifier: SentimentClassifier
    private let store: any FeedbackLog
    private var loadedFile: FileIdentity
    /// The feedback generation the live model was built under.
    private var generation: Int64
    /// Why the model file now at the path is not the one in use, if it is not.
    public private(set) var modelFileProblem: ModelFileProblem?
    /// Why the last catch-up failed (the feedback log did not answer: a PostgreSQL server
    /// restarting, an SQLite lock held past the busy timeout), while the live model answers with
    /// what it holds; nil once a catch-up succeeds.
    public private(set) var catchUpProblem: String?
    /// Why the shared log's newest model version could not be copied into the model file (a
    /// folder the worker cannot write), while the live model keeps what it holds; nil once a
    /// copy succeeds. Only with a log that shares the model (`SharedModelLog`).
    public private(set) var sharedModelProblem: String?
    /// The log's model versions, when it keeps the model for several hosts.
    private let sharedModels: (any SharedModelLog)?
    /// The CRC-32 of the model file the live model was loaded from.
    private var fileChecksum: UInt32
    /// When to look for changes.
    private var changeCheck: ChangeCheck
    /// The features of the review being stored, made by the live model, for folding its row.
    private var recentFeatures: TextFeatures?
    private let clock: () -> ContinuousClock.Instant
    /// Where a worker that starts takes up the live model, and this one saves it.
    private let resumePoint: ResumePoint?
    /// The watermark of the live model when it was last saved, taken up or loaded from its file:
    /// it is saved again once its watermark passes the next multiple of the point's interval.
    private var resumedAt: Int64

    /// The longest a change that does not move the store's change counter goes unseen.
    public static let defaultFullCheckInterval = Duration.seconds(1)

    /// Loads the model file and applies every row after its watermark, from `resumePoint`'s
    /// model when it holds one that fits (and saving one there as it goes). `clock` tells the
    /// time the full checks are timed by.
    public init(
        modelPath: String, store: any FeedbackLog, batchSize: Int = 1_000, fullCheckInterval: Duration = defaultFullCheckInterval,
        resumePoint: ResumePoint? = nil, clock: @escaping () -> ContinuousClock.Instant = { .now }
    ) throws {
        precondition(batchSize > 0, "a catch-up batch holds at least one row")
        self.modelPath = modelPath
        self.store = store
        self.batchSize = batchSize
        self.resumePoint = resumePoint
        changeCheck = ChangeCheck(fullCheckInterval: fullCheckInterval)
        self.clock = clock
        sharedModels = store as? any SharedModelLog
        // Read before anything is loaded: whatever is committed from now on moves it past this.
        _ = changeCheck.isDue(count: store.changeCount, now: clock())
        if let sharedModels {
            _ = sharedModels.takeModelNotice()
            try Self.copyNewestSharedModel(from: sharedModels, to: modelPath, offeringFile: true)
        }
        // Identify the file before reading it: if it is replaced in between, the next call
        // sees a different file and loads it again.
        loadedFile = try FileIdentity(path: modelPath)
        // Read before the rows: a decision committed after this is seen by the next check.
        generation = try store.generation()
        (classifier, fileChecksum) = try ModelFile.loadWithChecksum(from: modelPath)
        resumedAt = classifier.watermark
        resume()
        try applyNewRows()
    }

    /// The live model's version: its model file's CRC-32 and the last feedback row applied
    /// (`"1f2e3d4c.1042"`), so two workers that agree, bit for bit, report the same.
    /// Spelled into one buffer: it is asked for by every answer of the JSON API, where the
    /// generic integer formatting cost as much as parsing the request's JSON.
    public var modelVersion: String {
        let checksum = fileChecksum
        let watermark = classifier.watermark
        return String(unsafeUninitializedCapacity: 8 + 1 + 20) { text in
            for index in 0..<8 {
                let digit = UInt8(truncatingIfNeeded: checksum >> UInt32(28 - 4 * index) & 0xF)
                text[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            }
            text[8] = UInt8(ascii: ".")
            var count = 9
            if watermark < 0 {
                text[count] = UInt8(ascii: "-")
                count += 1
            }
            var magnitude = watermark.magnitude
            let first = count
            repeat {
                text[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            text[first..<count].reverse()
            return count
        }
    }

    /// Catches up with the feedback and the model file now, as every answer does first: for a
    /// caller that reports the model's state (its version) rather than classifying.
    public func catchUp() throws {
        try catchUpIfNeeded()
    }

    /// Whether the feedback database answers: a read of its newest id.
    public func checkDatabase() throws {
        _ = try store.latestID()
    }

    /// The id of the last feedback row the live model has applied.
    public var watermark: Int64 { classifier.watermark }

    /// The live model's prediction, once it has caught up with the model file and every
    /// stored feedback; while the log does not answer, the prediction of the model it holds
    /// (see `catchUpProblem`): a visitor is answered by a model a few rows behind rather than
    /// refused.
    public func classify(_ review: String) throws -> Prediction {
        catchUpOrKeepServing()
        return classifier.classify(review)
    }

    /// The live model's prediction and its explanation, as `classify` makes it.
    public func explain(_ review: String, strongest: Int = .max) throws -> (prediction: Prediction, explanation: Explanation) {
        catchUpOrKeepServing()
        return classifier.explainedPrediction(review, strongest: strongest)
    }

    /// Catches up if the log answers; otherwise notes why in `catchUpProblem` and keeps the
    /// live model as it is, to be caught up by a later call.
    public func catchUpOrKeepServing() {
        do {
            try catchUpIfNeeded()
            catchUpProblem = nil
        } catch {
            catchUpProblem = "\(error)"
        }
    }

    /// Stores a trusted feedback (no client: as an admin's tool or the book's scripts write
    /// one) durably, then catches up, which applies it after every row stored before it by any
    /// worker. If catching up fails, the row is stored all the same; it is applied by the next
    /// catch-up.
    public func recordFeedback(review: String, sentiment: Sentiment) throws {
        try store.insert(review: review, sentiment: sentiment.rawValue)
        try catchUpIfNeeded()
    }

    /// Stores a visitor's feedback under the trust rules `policy`, then learns it: folded at
    /// once when nothing else came before it (`followsDirectly`), otherwise by catching up. The
    /// row records the live model's P(positive) for the review just before it is stored, which
    /// the rules judge a correction of a confident verdict by.
    public func recordFeedback(review: String, sentiment: Sentiment, client: String, policy: TrustPolicy) throws -> InsertOutcome {
        try catchUpIfNeeded()
        // Made once: classified now, learned when the row is folded in (unless the model file
        // is replaced in between, whose vectorizer may differ).
        let features = classifier.features(of: review)
        recentFeatures = features
        defer { recentFeatures = nil }
        let probability = Prediction(decision: classifier.decision(features)).probabilityPositive
        let (outcome, stored) = try store.insertDescribing(
            NewFeedback(review: review, sentiment: sentiment.rawValue, client: client, probabilityPositive: probability), policy: policy)
        if let stored, followsDirectly(stored) {
            classifier.fold(stored.row, reusing: features)
            saveResumePointIfDue(lastFolded: stored.row)
            return outcome
        }
        try catchUpIfNeeded()
        return outcome
    }

    /// Whether the row just stored is the only news: its id is the one after the watermark (ids
    /// only grow, AUTOINCREMENT, so no row of any writer lies between; after a gap the caller
    /// reads the log as after any change), under the generation the live model was built under
    /// (no decision since), and no process of this project announced anything since the last
    /// look (no model file published). Then the row is folded from what the worker holds,
    /// exactly as a read-back would fold it, where reading it back took a read transaction and
    /// a query. A model file replaced by hand, which nothing announces, is still seen at the
    /// next full check, as without this.
    private func followsDirectly(_ stored: StoredFeedback) -> Bool {
        stored.row.id == classifier.watermark + 1 && stored.generation == generation
            && changeCheck.absorbOwnAnnouncement(countBefore: stored.countBefore)
    }

    private func catchUpIfNeeded() throws {
        guard changeCheck.isDue(count: store.changeCount, now: clock()) else { return }
        do {
            try lookForChanges()
        } catch {
            // A database that failed part way (a lock held too long) is asked again next time.
            changeCheck.forget()
            throw error
        }
    }

    private func lookForChanges() throws {
        // Asked first, so that whatever a worker commits from now on is reported by the
        // next call, whether or not this catch-up's reads see it.
        let stored = try store.hasChanged()
        let announced = sharedModels?.takeModelNotice() ?? false
        // With a shared log the file is this host's copy of the log's newest version, which the
        // log announces (and its poll finds): with nothing reported there is nothing to look at.
        if sharedModels != nil && !stored && !announced { return }
        var current = (try? FileIdentity(path: modelPath)) ?? .missing
        // A file changed unannounced (replaced by hand) is put back before it can be loaded.
        if let sharedModels, announced || current != loadedFile {
            try copyNewestSharedModel(from: sharedModels)
            current = (try? FileIdentity(path: modelPath)) ?? .missing
        }
        // The generation and the first rows after the watermark, in one read.
        let news = stored ? try store.news(after: classifier.watermark, limit: batchSize) : nil
        let decisions = news?.generation ?? generation
        if (current != loadedFile && current != modelFileProblem?.file) || decisions != generation {
            generation = decisions
            if let fresh = load(current) {
                (classifier, fileChecksum) = fresh
                recentFeatures = nil
                loadedFile = current
                resumedAt = classifier.watermark
                resume()
                // The rows read are after the old model's watermark, not the new one's.
                try applyNewRows()
                return
            }
        }
        if let news { try applyNewRows(startingWith: news.rows) }
    }

    /// Copies the shared log's newest model version into the model file, which the look then
    /// finds replaced. A log that fails is the catch-up's problem (thrown); a file that cannot
    /// be written is `sharedModelProblem`'s, and the feedback is caught up all the same.
    private func copyNewestSharedModel(from log: any SharedModelLog) throws(FeedbackStoreError) {
        do {
            try Self.copyNewestSharedModel(from: log, to: modelPath, offeringFile: false)
            sharedModelProblem = nil
        } catch let error as FeedbackStoreError {
            throw error
        } catch {
            sharedModelProblem = "\(error)"
        }
    }

    /// The model file at the path, or nil when it cannot be loaded: then the live model keeps
    /// what it holds (every worker holds the same, and none can load the new file either), and
    /// `modelFileProblem` says why, until another file replaces that one. A decision that
    /// needs a rebuild waits for a file that loads, too.
    private func load(_ identity: FileIdentity) -> (classifier: SentimentClassifier, checksum: UInt32)? {
        if identity == modelFileProblem?.file { return nil }
        do {
            let model = try ModelFile.loadWithChecksum(from: modelPath)
            modelFileProblem = nil
            return model
        } catch {
            modelFileProblem = ModelFileProblem(file: identity, reason: "\(error)")
            return nil
        }
    }

    /// Applies the rows after the watermark, in id order, one batch at a time: `first` when the
    /// caller has just read the first batch, then batches read until one comes short. The
    /// watermark moves with each row, past rows that teach nothing too, so a failure part way
    /// leaves a consistent model that the next catch-up continues.
    private func applyNewRows(startingWith first: [FeedbackRow]? = nil) throws(FeedbackStoreError) {
        var rows: [FeedbackRow]
        if let first { rows = first } else { rows = try store.rows(after: classifier.watermark, limit: batchSize) }
        while true {
            for row in rows {
                classifier.fold(row, reusing: recentFeatures)
                saveResumePointIfDue(lastFolded: row)
            }
            if rows.count < batchSize { return }
            rows = try store.rows(after: classifier.watermark, limit: batchSize)
        }
    }

    /// Takes up the resume point's model in place of the one just loaded from the file, when
    /// the point holds that file's model further along the log, under this generation.
    private func resume() {
        guard
            let resumed = resumePoint?.take(
                modelFile: fileChecksum, generation: generation, after: classifier.watermark, log: store)
        else { return }
        classifier = resumed
        resumedAt = resumed.watermark
    }

    /// Saves the live model at the resume point when its watermark, `lastFolded`'s id, has
    /// passed a multiple of the point's interval since it was loaded or last saved: checked
    /// after every row, so every worker saves at the same rows, and the first to reach one
    /// writes it. A save that fails is skipped: a worker that starts then folds more rows
    /// itself.
    private func saveResumePointIfDue(lastFolded row: FeedbackRow) {
        guard let resumePoint, classifier.watermark / resumePoint.interval > resumedAt / resumePoint.interval else { return }
        resumedAt = classifier.watermark
        try? resumePoint.save(classifier, modelFile: fileChecksum, generation: generation, lastRow: row, log: store)
    }
}
