import AdminReport
import FeedbackDatabase
import FeedbackStore
import LiveModel
import LiveService
import Support
import WebApp

/// One worker's application: the live model over the feedback database, the form-signing key,
/// and the web application rendering the pages.
struct Application {
    let web: WebApplication
    let classifier: LiveClassifier
    /// The log's own sync, when the SQLite store leaves it to the worker (`syncsLogItself`).
    let logSync: LogFileSync?
    /// Whether the last answer's write is committed but not yet synced (see `logSync`).
    let unsyncedCommit: () -> Bool

    /// - Parameters:
    ///   - connections: `.single` for a CGI process, which answers one request.
    ///   - scoreboard: The pool's shared memory, where the worker counts what it serves and
    ///     reads the pool's state; nil in a CGI process.
    ///   - syncsLogItself: An SQLite store's writes leave the log's sync to the worker, which
    ///     syncs on a thread of its own before it answers (`SyncedAnswers`); a PostgreSQL log
    ///     commits durably either way.
    init(
        _ settings: WorkerSettings, connections: FeedbackStore.Connections = .pool, scoreboard: Scoreboard? = nil,
        syncsLogItself: Bool = false
    ) throws {
        let store = try FeedbackDatabase.open(settings.database, connections: connections)
        if syncsLogItself, let sqlite = store as? FeedbackStore {
            sqlite.defersLogSync = true
            logSync = LogFileSync(databasePath: sqlite.path)
            unsyncedCommit = { sqlite.takeUnsyncedCommit() }
        } else {
            logSync = nil
            unsyncedCommit = { false }
        }
        let classifier = try LiveClassifier(
            modelPath: settings.model, store: store, resumePoint: ResumePoint(for: store, modelPath: settings.model))
        self.classifier = classifier
        let service = LiveSentimentService(classifier: classifier, policy: settings.trust)
        let signer = try FormSigner.loadOrCreateKey(at: settings.key)
        let operatorViews =
            settings.operatorRoutes
            ? WorkerOperatorViews(
                scoreboard: scoreboard, classifier: classifier, store: store,
                admin: { AdminPage.render(try AdminFacts.gather(store: store, live: classifier), styles: .linked) }) : nil
        web = try WebApplication(
            service: service,
            templates: settings.www + "/templates",
            signer: signer,
            // The bound the update tool and the live models apply to stored feedback too.
            settings: WebSettings(maxReviewLength: FeedbackVerdict.maxReviewLength),
            openAPIDocument: try? AtomicFile.read(settings.www + "/openapi.json"),
            operatorViews: operatorViews,
            usage: scoreboard.map(ScoreboardUsageCounter.init),
            log: Log.error
        )
    }

    var bodyLimit: Int { web.settings.maxBodyBytes }

    /// The id of the last feedback row the live model has applied.
    var watermark: Int64 { classifier.watermark }

    func respond(_ request: HTTPRequest) -> HTTPResponse {
        web.respond(to: request)
    }

    /// `data/feedback.sqlite` → `data/feedback.key`: the key's default place, beside an SQLite
    /// database.
    static func keyPath(besideDatabase database: String) -> String {
        (database.hasSuffix(".sqlite") ? String(database.dropLast(".sqlite".count)) : database) + ".key"
    }
}
