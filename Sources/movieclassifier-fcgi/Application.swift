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

    /// - Parameters:
    ///   - connections: `.single` for a CGI process, which answers one request.
    ///   - scoreboard: The pool's shared memory, where the worker counts what it serves and
    ///     reads the pool's state; nil in a CGI process.
    init(_ settings: WorkerSettings, connections: FeedbackStore.Connections = .pool, scoreboard: Scoreboard? = nil) throws {
        let store = try FeedbackDatabase.open(settings.database, connections: connections)
        let classifier = try LiveClassifier(modelPath: settings.model, store: store)
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
