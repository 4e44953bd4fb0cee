import ArgumentParser
import CFastCGI
import CWorkerSignals
import Glibc
import WebApp

@main
struct Responder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "movieclassifier-fcgi",
        abstract: "Serve the movie-review classifier over FastCGI (or as a CGI program).",
        discussion: """
            With --listen, it opens the socket and runs --workers processes on it. Started by \
            spawn-fcgi or mod_fcgid (a listening socket on standard input), it serves that socket. \
            Otherwise it is a CGI program and answers the one request in its environment.
            Every worker keeps the model resident: the model file plus every feedback row after its \
            watermark, applied in id order, so all workers answer alike and nothing learned is lost.
            """
    )

    @Option(help: ArgumentHelp("A unix socket path (with a /) or HOST:PORT to accept FastCGI connections on.", valueName: "address"))
    var listen: String?

    @Option(help: "Worker processes (about one per core).")
    var workers: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    @Option(help: ArgumentHelp("The model file.", valueName: "path"))
    var model = "model/classifier.mcm"

    @Option(help: ArgumentHelp("The feedback database (SQLite, created if missing; the form-signing key is kept beside it).", valueName: "path"))
    var db = "data/feedback.sqlite"

    @Option(help: ArgumentHelp("The folder with templates/ and static/.", valueName: "path"))
    var www = "www"

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1.") }
    }

    func run() throws {
        let settings = WorkerSettings(model: model, database: db, www: www)
        if worker_signals_install() != 0 {
            throw ValidationError("cannot install signal handlers: \(String(cString: strerror(errno)))")
        }
        let socket: Int32
        if let listen {
            do {
                socket = try ListeningSocket.open(listen)
            } catch {
                Log.error("\(error)")
                throw ExitCode(1)
            }
        } else if worker_signals_is_listening_socket(STDIN_FILENO) != 0 {
            socket = STDIN_FILENO
        } else {
            serveCGIRequest(settings)
            return
        }
        let status = WorkerPool(size: workers) { serveFastCGI(settings, socket: socket) }.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// A worker: open the model and the database (after the fork: SQLite connections must not
    /// cross one), then serve.
    private func serveFastCGI(_ settings: WorkerSettings, socket: Int32) {
        let application: Application
        do {
            application = try Application(settings)
        } catch {
            Log.error("\(error)")
            Glibc.exit(1)
        }
        FCGX_Init()
        FastCGIResponder(socket: socket, bodyLimit: application.bodyLimit, respond: application.respond).run()
    }

    private func serveCGIRequest(_ settings: WorkerSettings) {
        do {
            let application = try Application(settings)
            CGIResponder.serveOne(bodyLimit: application.bodyLimit, respond: application.respond)
        } catch {
            Log.error("\(error)")
            CGIResponder.serveOne(bodyLimit: 0) { _ in
                HTTPResponse(status: 503, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("The service is unavailable.\n".utf8))
            }
        }
    }
}

/// Where a worker finds its model, database and pages.
struct WorkerSettings {
    let model: String
    let database: String
    let www: String
}
