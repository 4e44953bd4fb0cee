import ArgumentParser
import CFastCGI
import CWorkerSignals
import FeedbackDatabase
import FeedbackStore
import Glibc
import PoolSupervision
import WebApp

@main
struct Responder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "movieclassifier-fcgi",
        abstract: "Serve the movie-review classifier over FastCGI (or as a CGI program).",
        discussion: """
            With --listen, it opens the socket and runs --workers processes on it, as their process \
            manager. Started by spawn-fcgi or mod_fcgid (a listening socket on standard input), it \
            manages its workers on that socket. Otherwise it is a CGI program and answers the one \
            request in its environment.
            Signals to the master: HUP reloads (executes the binary again, new workers accept \
            before the old ones finish their request and exit), TERM or INT stops gracefully, QUIT \
            stops at once, USR1 prints the pool's status to standard error.
            Every worker keeps the model resident: the model file plus every feedback row after its \
            watermark, applied in id order, so all workers answer alike and nothing learned is lost.
            Apache runs a CGI or mod_fcgid program without arguments: the environment variables \
            MOVIECLASSIFIER_MODEL, MOVIECLASSIFIER_DB, MOVIECLASSIFIER_WWW and MOVIECLASSIFIER_WORKERS \
            (SetEnv, FcgidInitialEnv, a systemd Environment=) replace the defaults of --model, --db, \
            --www and --workers; an option on the command line wins over its variable.
            """
    )

    @Option(help: ArgumentHelp("A unix socket path (with a /) or HOST:PORT to accept FastCGI connections on.", valueName: "address"))
    var listen: String?

    @Option(help: "Worker processes (about one per core; under mod_fcgid, which starts processes itself, 1).")
    var workers: Int = SettingDefault.workers

    @Option(help: ArgumentHelp("A worker exits after serving this many requests, and a new one replaces it.", valueName: "n"))
    var maxRequests: Int?

    @Option(
        help: ArgumentHelp(
            "A request running longer, or a worker stopped (SIGSTOP) for longer, has its worker killed and replaced (nginx answers 502).",
            valueName: "seconds"
        )
    )
    var requestTimeout: Double?

    @Option(
        help: ArgumentHelp("How long workers may take to finish their requests on a stop or reload before they are killed.", valueName: "seconds"))
    var stopTimeout: Double = 10

    @Option(help: ArgumentHelp("The model file.", valueName: "path"))
    var model = SettingDefault.model

    @Option(
        help: ArgumentHelp(
            "The feedback database: an SQLite file (created if missing), or a postgresql:// URL, a log shared by several hosts.",
            valueName: "path|url"))
    var db = SettingDefault.database

    @Option(
        help: ArgumentHelp(
            "The form-signing key's file (created if missing): beside an SQLite database by default; with PostgreSQL, required, the same file on every host.",
            valueName: "path"))
    var key: String? = SettingDefault.key

    @Option(help: ArgumentHelp("The folder with templates/ and static/.", valueName: "path"))
    var www = SettingDefault.www

    @Option(help: ArgumentHelp("Feedback rows that count per client in a window; later ones are held for an admin.", valueName: "rows"))
    var feedbackBudget = SettingDefault.budget

    @Option(help: ArgumentHelp("Feedback rows stored per client in a window, held ones included; later ones are refused (429).", valueName: "rows"))
    var feedbackLimit = SettingDefault.storedLimit

    @Option(help: ArgumentHelp("The window of the budget and the limit.", valueName: "hours"))
    var feedbackWindow = SettingDefault.windowHours

    @Option(help: ArgumentHelp("Distinct clients who must agree before a correction of a confident verdict counts.", valueName: "clients"))
    var feedbackAgreement = SettingDefault.agreement

    @Option(help: ArgumentHelp("The probability from which a verdict counts as confident.", valueName: "p"))
    var feedbackConfidence = SettingDefault.confidence

    @Flag(help: "Trust every client: every feedback counts and none is refused (an intranet; measuring what the rules cost).")
    var trustAllFeedback = false

    @Option(
        help: ArgumentHelp(
            "on or off: serve the operator's private routes /status, /metrics and /admin/ (default on with --listen, as behind nginx; "
                + "off otherwise: CGI and mod_fcgid under Apache). Requests the web server marks public (MOVIECLASSIFIER_PUBLIC) are refused "
                + "them either way.",
            valueName: "on|off"))
    var operatorRoutes: String? = SettingDefault.operatorRoutes

    /// Apache runs a CGI program with no arguments, once per request: then there is nothing to
    /// parse, and the request is served at once, without the argument parser's reflection over
    /// the options (about a tenth of a CGI request's start). Everything else goes through it.
    static func main() {
        if CommandLine.arguments.count == 1, getenv(Handover.socketVariable) == nil, worker_signals_is_listening_socket(STDIN_FILENO) == 0 {
            let database = SettingDefault.database
            serveCGIRequest(
                WorkerSettings(
                    model: SettingDefault.model, database: database, key: SettingDefault.key ?? Application.keyPath(besideDatabase: database),
                    www: SettingDefault.www, trust: SettingDefault.trust, operatorRoutes: SettingDefault.operatorRoutes == "on"))
            return
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers (or \(SettingDefault.workersVariable)) must be a whole number, at least 1.") }
        if let maxRequests, maxRequests < 1 { throw ValidationError("--max-requests must be at least 1.") }
        if let requestTimeout, !(requestTimeout > 0) { throw ValidationError("--request-timeout must be a positive number of seconds.") }
        guard stopTimeout >= 0 else { throw ValidationError("--stop-timeout must be a number of seconds, 0 or more.") }
        guard feedbackBudget >= 0 else {
            throw ValidationError("--feedback-budget (or \(SettingDefault.budgetVariable)) must be a whole number, 0 or more.")
        }
        guard feedbackLimit >= feedbackBudget else {
            throw ValidationError(
                "--feedback-limit (or \(SettingDefault.storedLimitVariable)) must be a whole number, at least the budget (\(feedbackBudget)).")
        }
        guard feedbackWindow > 0 else {
            throw ValidationError("--feedback-window (or \(SettingDefault.windowVariable)) must be a positive number of hours.")
        }
        guard feedbackAgreement >= 1 else {
            throw ValidationError("--feedback-agreement (or \(SettingDefault.agreementVariable)) must be a whole number, at least 1.")
        }
        if FeedbackDatabase.isPostgreSQL(db) && key == nil {
            throw ValidationError(
                "With a PostgreSQL database, give the form-signing key with --key (or \(SettingDefault.keyVariable)): the same file on every host, so that a page signed by one host is checked by another."
            )
        }
        if let operatorRoutes, operatorRoutes != "on" && operatorRoutes != "off" {
            throw ValidationError("--operator-routes (or \(SettingDefault.operatorRoutesVariable)) must be on or off, not \(operatorRoutes).")
        }
        guard feedbackConfidence > 0.5 && feedbackConfidence <= 1 else {
            throw ValidationError("--feedback-confidence (or \(SettingDefault.confidenceVariable)) must be a probability above 0.5, at most 1.")
        }
    }

    func run() throws {
        let trust = TrustPolicy(
            budget: feedbackBudget, storedLimit: feedbackLimit, windowSeconds: Int(feedbackWindow * 3600), agreement: feedbackAgreement,
            confidence: feedbackConfidence, enabled: !trustAllFeedback)
        let settings = WorkerSettings(
            model: model, database: db, key: key ?? Application.keyPath(besideDatabase: db), www: www, trust: trust,
            operatorRoutes: operatorRoutes.map { $0 == "on" } ?? (listen != nil))
        let handover = Handover.received()
        let socket: Int32
        if let handover {
            socket = handover.socket
        } else if let listen {
            do {
                socket = try ListeningSocket.open(listen)
            } catch {
                Log.error("\(error)")
                throw ExitCode(1)
            }
        } else if worker_signals_is_listening_socket(STDIN_FILENO) != 0 {
            socket = STDIN_FILENO
        } else {
            Self.serveCGIRequest(settings)
            return
        }
        // Workers wait for a connection with poll and must not block in accept when another
        // worker was quicker (see FastCGIResponder).
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        let pool = PoolSettings(
            workers: workers,
            maxRequests: maxRequests,
            requestTimeout: requestTimeout.map(Monotonic.nanoseconds),
            stopTimeout: Monotonic.nanoseconds(stopTimeout)
        )
        let master = getpid()
        let database = db
        do {
            var supervisor = try Supervisor(
                settings: pool,
                socket: socket,
                arguments: CommandLine.arguments,
                work: { scoreboard, slot in
                    serveFastCGI(settings, socket: socket, scoreboard: scoreboard, slot: slot, master: master, maxRequests: pool.maxRequests)
                },
                feedbackSummary: { oldest in Self.feedbackSummary(database: database, oldestWatermark: oldest) }
            )
            try supervisor.run(handedOver: handover?.workers ?? [])
        } catch {
            Log.error("\(error)")
            throw ExitCode(1)
        }
    }

    /// A worker: tie its life to the master's, take the stop signals, open the model and the
    /// database (after the fork: SQLite connections must not cross one), then serve.
    private func serveFastCGI(
        _ settings: WorkerSettings, socket: Int32, scoreboard: Scoreboard, slot: WorkerSlot, master: pid_t, maxRequests: Int?
    ) -> Never {
        guard worker_signals_die_with_parent(master) == 0, worker_signals_install() == 0 else {
            let message = "cannot set up the worker's signals, or the master is gone: \(String(cString: strerror(errno)))"
            Log.error(message)
            slot.setNote(message)
            Glibc.exit(1)
        }
        let application: Application
        do {
            application = try Application(settings, scoreboard: scoreboard, syncsLogItself: true)
        } catch {
            // The master says why in its own message, should it give up.
            Log.error("\(error)")
            slot.setNote("\(error)")
            Glibc.exit(1)
        }
        FCGX_Init()
        let responder = FastCGIResponder(
            socket: socket,
            bodyLimit: application.bodyLimit,
            maxRequests: maxRequests ?? Int.max,
            slot: slot,
            scoreboard: scoreboard,
            watermark: { application.watermark },
            problem: { application.classifier.modelFileProblem },
            lagging: { application.classifier.catchUpProblem },
            respond: TestSlowPath.wrap(application.respond),
            unsyncedCommit: application.unsyncedCommit,
            answers: application.logSync.map { SyncedAnswers(log: $0, scoreboard: scoreboard) }
        )
        Glibc.exit(responder.run())
    }

    /// The status report's feedback figures: the newest row, and how many rows lie after the
    /// oldest watermark a worker holds (ids are assigned in order, so the difference counts them).
    private static func feedbackSummary(database: String, oldestWatermark: Int64?) -> String {
        do {
            let latest = try FeedbackDatabase.open(database).latestID()
            let pending = oldestWatermark.map { String(max(0, latest - $0)) } ?? "?"
            return "feedback_latest=\(latest) feedback_pending=\(pending)"
        } catch {
            return "feedback_latest=? feedback_pending=? (\(error))"
        }
    }

    private static func serveCGIRequest(_ settings: WorkerSettings) {
        do {
            let application = try Application(settings, connections: .single)
            CGIResponder.serveOne(bodyLimit: application.bodyLimit, respond: application.respond)
            // Exit with the database still open: closing its last connection would checkpoint
            // the WAL and delete it, and the next CGI process would create it again with a write
            // of its own, five fsyncs per request in all. Left open, the WAL stays for the next
            // process (commits checkpoint it as it grows), as after any crash SQLite survives.
            Glibc.exit(0)
        } catch {
            Log.error("\(error)")
            CGIResponder.serveOne(bodyLimit: 0) { _ in
                HTTPResponse(status: 503, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("The service is unavailable.\n".utf8))
            }
        }
    }
}
