import Foundation
import Glibc
import TestSupport
import XCTest

/// nginx and movieclassifier-fcgi workers, started for a test in a folder of their own on a free
/// loopback port, and stopped by PID.
final class Stack: Site {
    let folder: String
    let port: Int
    let database: String
    /// The model file the workers were given.
    let modelPath: String
    /// The master of the FastCGI workers, until `waitForResponderExit` or `stop` reaps it.
    private(set) var responderPID: pid_t?
    private(set) var nginxPID: pid_t?
    /// How the responder was started, to start another on the same socket.
    private let responderCommand: (executable: String, arguments: [String], environment: [String])

    static let repository = BuiltProducts.repository

    /// The products folder the test bundle was built into, where the responder is.
    static var products: URL {
        URL(fileURLWithPath: BuiltProducts.executable("movieclassifier-fcgi", besides: Stack.self)).deletingLastPathComponent()
    }

    /// Starts `workers` workers and nginx. `database` defaults to one in the stack's folder;
    /// several stacks may share one (two "hosts" of one site). `arguments` are added to the
    /// responder's command line, `environment` (`NAME=value`) to its environment; `executable`
    /// replaces the built responder; `launcher` says what opens the socket and starts it.
    /// `namespace` runs the workers in a network namespace (another "host", which reaches a
    /// database over its veth); nginx stays here, on their unix socket.
    init(
        workers: Int = 2, database: String? = nil, model: String = Stack.repository + "/model/classifier.mcm",
        arguments: [String] = [], environment: [String] = [], executable: String = Stack.products.appendingPathComponent("movieclassifier-fcgi").path,
        launcher: Launcher = .processManager, postLimit: PostLimit = .unlimited, namespace: NetworkNamespace? = nil
    ) throws {
        precondition(namespace == nil || launcher == .processManager, "spawn-fcgi is started here")
        try SystemComponent.require(.nginx)
        if launcher == .spawnFcgi { try SystemComponent.require(.spawnFcgi) }
        folder = try ScratchFolder("movieclassifier-e2e").path
        port = try Self.freePort()
        self.database = database ?? folder + "/feedback.sqlite"
        // With PostgreSQL the workers write the shared model's newest version into their model
        // file: each stack (a host) has a copy of its own, never the repository's.
        var model = model
        if self.database.hasPrefix("postgresql://") {
            try FileManager.default.copyItem(atPath: model, toPath: folder + "/classifier.mcm")
            model = folder + "/classifier.mcm"
        }
        modelPath = model

        try FileManager.default.createDirectory(atPath: folder + "/logs", withIntermediateDirectories: true)
        let responderArguments =
            [
                "--listen", folder + "/fcgi.sock", "--workers", String(workers), "--model", model, "--db", self.database, "--www",
                Self.repository + "/www",
            ] + arguments
        if let namespace {
            responderCommand = (namespace.command[0], Array(namespace.command.dropFirst()) + [executable] + responderArguments, environment)
        } else {
            responderCommand = (executable, responderArguments, environment)
        }
        switch launcher {
        case .processManager:
            responderPID = try Self.spawn(
                responderCommand.executable, responderCommand.arguments, stderr: folder + "/logs/fcgi.log", environment: environment)
        case .spawnFcgi:
            responderPID = try Self.spawnFcgi(
                in: folder, database: self.database, executable: executable, workers: workers, model: model, environment: environment)
        }
        try Self.waitFor("the workers' socket") { FileManager.default.fileExists(atPath: self.folder + "/fcgi.sock") }

        let limit = postLimit == .shipped ? "" : " 1000000r/s 1000000"
        try Self.shell("source '\(Self.repository)/scripts/nginx-config.sh' && render_nginx_config '\(folder)' \(port)\(limit)")
        try startNginx()
        try Self.waitFor("the first page") { (try? HTTP.get(self.url("/")).status) == 200 }
    }

    /// Starts nginx on the stack's configuration and waits for its pid file.
    func startNginx() throws {
        try Self.shell("nginx -p '\(folder)/' -c '\(folder)/nginx.conf' -e '\(folder)/logs/error.log'")
        try Self.waitFor("nginx's pid file") { FileManager.default.fileExists(atPath: self.folder + "/nginx.pid") }
        let pidText = try String(contentsOfFile: folder + "/nginx.pid", encoding: .utf8)
        nginxPID = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Stops nginx gracefully (SIGQUIT) and waits until it has removed its pid file.
    func stopNginx() {
        guard let nginxPID else { return }
        kill(nginxPID, SIGQUIT)
        // nginx removes its pid file when it has stopped (its exited master may linger as
        // a zombie nobody reaps, so `kill(pid, 0)` would not tell).
        try? Self.waitFor("nginx to stop", timeout: 10) { !FileManager.default.fileExists(atPath: self.folder + "/nginx.pid") }
        self.nginxPID = nil
    }

    /// Starts the responder again on the same socket path, with the same command line, as an
    /// operator restarting the service does (after `responderPID` is gone: see `forgetResponder`).
    func startResponderAgain() throws {
        precondition(responderPID == nil, "the first responder is still known")
        responderPID = try Self.spawn(
            responderCommand.executable, responderCommand.arguments, stderr: folder + "/logs/fcgi.log", environment: responderCommand.environment
        )
    }

    /// Reaps the responder after it was killed, so that another can be started.
    func forgetResponder() {
        guard let pid = responderPID else { return }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        responderPID = nil
    }

    /// nginx's limit on POSTs per client address.
    enum PostLimit {
        /// The shipped configuration's: 30 a minute, a burst of 20.
        case shipped
        /// None that binds: for load tests, whose few clients stand for many visitors.
        case unlimited
    }

    /// Trust rules that never bind, for load tests whose few clients stand for many visitors:
    /// every feedback they send is stored.
    static let manyVisitors = ["--feedback-budget", "100000000", "--feedback-limit", "100000000"]

    /// What opens the FastCGI socket and starts the responder on it.
    enum Launcher {
        /// The responder itself, with `--listen`.
        case processManager
        /// The shipped `nginx/spawn-fcgi.sh`: spawn-fcgi opens the socket and executes the
        /// responder in its place with the socket on standard input (`arguments` are not used:
        /// the script passes none, the settings go through the environment).
        case spawnFcgi
    }

    /// Runs `nginx/spawn-fcgi.sh` on a release-like folder (`bin/`, `model/`, `www/` as links)
    /// with the database in the stack's folder; as root, the workers run as www-data, so the
    /// folder is made writable for everyone.
    private static func spawnFcgi(in folder: String, database: String, executable: String, workers: Int, model: String, environment: [String]) throws
        -> pid_t
    {
        let home = folder + "/home"
        let files = FileManager.default
        try files.createDirectory(atPath: home + "/bin", withIntermediateDirectories: true)
        try files.createDirectory(atPath: home + "/model", withIntermediateDirectories: true)
        try files.createSymbolicLink(atPath: home + "/bin/movieclassifier-fcgi", withDestinationPath: executable)
        try files.createSymbolicLink(atPath: home + "/model/classifier.mcm", withDestinationPath: model)
        try files.createSymbolicLink(atPath: home + "/www", withDestinationPath: repository + "/www")
        chmod(folder, 0o777)
        return try spawn(
            repository + "/nginx/spawn-fcgi.sh", [],
            stderr: folder + "/logs/fcgi.log",
            environment: [
                "MOVIECLASSIFIER_HOME=\(home)", "MOVIECLASSIFIER_DB=\(database)", "SOCKET=\(folder)/fcgi.sock",
                "WORKERS=\(workers)", "RUN_AS=www-data",
            ] + environment
        )
    }

    func url(_ path: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)")!
    }

    /// Stops nginx and the workers (both by PID) and removes the folder.
    func stop() {
        stopNginx()
        if let responderPID {
            kill(responderPID, SIGTERM)
            var status: Int32 = 0
            waitpid(responderPID, &status, 0)
        }
        responderPID = nil
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The workers: the master's children that have not exited, each with the seconds it has
    /// been running (read from /proc, not from a tool).
    func workers() throws -> [pid_t: Double] {
        guard let master = responderPID else { throw StackError.setup("the responder has exited") }
        let uptime = try String(contentsOfFile: "/proc/uptime", encoding: .utf8).split(separator: " ").first.flatMap { Double($0) } ?? 0
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        var workers: [pid_t: Double] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8) else { continue }
            // pid (comm) state ppid ... starttime (the 22nd field, in clock ticks after boot):
            // comm may hold spaces, so read after its closing parenthesis.
            guard let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 19, pid_t(fields[1]) == master, !fields[0].hasPrefix("Z"), let started = Double(fields[19]) else { continue }
            workers[pid] = uptime - started / ticksPerSecond
        }
        return workers
    }

    /// Waits at most `timeout` seconds for the responder to exit, reaps it and returns its
    /// wait status; nil if it is still running.
    func waitForResponderExit(timeout: Double) -> Int32? {
        guard let pid = responderPID else { return nil }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                responderPID = nil
                return status
            }
            usleep(20_000)
        }
        return nil
    }

    deinit {
        stop()
    }

    var responderLog: String {
        (try? String(contentsOfFile: folder + "/logs/fcgi.log", encoding: .utf8)) ?? ""
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw StackError.setup("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func shell(_ command: String) throws {
        let pid = try spawn("/bin/bash", ["-c", command], stderr: "/dev/null")
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else { throw StackError.setup("`\(command)` exited with status \(status)") }
    }

    /// Starts a program, standard error to `stderr` (see `ProcessSpawn`).
    static func spawn(_ path: String, _ arguments: [String], stderr: String, environment: [String] = []) throws -> pid_t {
        try ProcessSpawn.start(path, arguments, stderr: stderr, environment: environment)
    }

    static func waitFor<Value>(_ what: String, timeout: Double = 20, returning value: () throws -> Value?) throws -> Value {
        var found: Value?
        try waitFor(what, timeout: timeout) {
            found = try value()
            return found != nil
        }
        return found!
    }

    static func waitFor(_ what: String, timeout: Double = 20, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            usleep(50_000)
        }
        throw StackError.setup("timed out waiting for \(what)")
    }
}
