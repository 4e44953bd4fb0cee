import Foundation
import Glibc

/// A throwaway PostgreSQL cluster for one test: its data, unix socket and log in a scratch
/// folder of its own, no TCP listener, trust authentication, fsync on (as in production, so
/// that a durability test means something). Started and stopped with `pg_ctl`, which signals
/// only the postmaster whose PID file is in this cluster's data folder.
///
/// `initdb` refuses to run as root, so as root (as CI runs the tests) the cluster belongs to
/// `nobody` and every server program runs through `runuser`.
public final class PostgreSQLServer {
    /// How `stop` shuts the server down (`pg_ctl stop -m`).
    public enum StopMode: String, Sendable {
        /// Rolls back open transactions, ends the sessions, writes a checkpoint.
        case fast
        /// Kills the server processes at once, as a crash does: the next start replays the
        /// write-ahead log, so what was committed must be there and nothing else.
        case immediate
    }

    /// The Debian package's programs: the newest major version installed, else 15's paths,
    /// so that a missing package is reported by the path it would have.
    public static let binaries: String = {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init)
        return "/usr/lib/postgresql/\(versions.max() ?? 15)/bin"
    }()

    /// The database every cluster has, and the superuser `initdb` makes.
    public static let database = "postgres"
    public static let user = "postgres"

    /// The test's folder: the cluster's data, its socket's folder and its log.
    public let folder: ScratchFolder
    /// The folder of the server's unix socket (`.s.PGSQL.5432` in it).
    public let socketFolder: String
    private let dataFolder: String
    private let logFile: String
    public private(set) var isRunning = false

    /// The TCP addresses the server listens on besides its socket (none by default).
    public let listenAddresses: [String]
    /// The server's port: its socket's name (5432 unless it listens on an address too, so
    /// that the URLs name it only then), and its TCP port when it listens on an address.
    public let port: Int

    /// A libpq key=value string for the server.
    public var conninfo: String { "host=\(socketFolder)\(listenAddresses.isEmpty ? "" : " port=\(port)") dbname=\(Self.database) user=\(Self.user)" }

    /// The same as a URL, the unix socket as the `host` parameter.
    public var url: String {
        let host = socketFolder.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))!
        return "postgresql://\(Self.user)@/\(Self.database)?host=\(host)\(listenAddresses.isEmpty ? "" : "&port=\(port)")"
    }

    /// A URL for the server over TCP, at one of `listenAddresses`.
    public func url(address: String) -> String {
        precondition(listenAddresses.contains(address), "the server does not listen on \(address)")
        return "postgresql://\(Self.user)@\(address):\(port)/\(Self.database)"
    }

    /// The account the server runs as: nil when the tests do not run as root.
    private static let owner: (name: String, uid: uid_t, gid: gid_t)? = {
        guard getuid() == 0, let account = getpwnam("nobody") else { return nil }
        return ("nobody", account.pointee.pw_uid, account.pointee.pw_gid)
    }()

    /// A cluster made once per test process and copied for each server, removed at the
    /// process's exit: `initdb` is most of a server's start-up (about 1.5 s here), the copy a
    /// tenth of it.
    private static let template: Result<ScratchFolder, any Error> = Result {
        let folder = try ScratchFolder("pg-template")
        atexit { if case .success(let folder) = PostgreSQLServer.template { folder.remove() } }
        chmod(folder.path, 0o755)
        try makeFolder(folder.path("data"), mode: 0o700)
        try run("initdb", ["-D", folder.path("data"), "--auth=trust", "-E", "UTF8", "--locale=C", "--username=\(user)"])
        return folder
    }

    /// Makes the cluster (a copy of one `initdb` made) and starts it; the caller stops and
    /// removes it (`deinit` does too). With `listenAddresses` (addresses of interfaces the
    /// test made, such as a veth's end: never a public one) it listens on them too, on a port
    /// of its own, and trusts every client of their /24 networks.
    public init(listenAddresses: [String] = []) throws {
        try SystemComponent.require(.postgresql)
        self.listenAddresses = listenAddresses
        port = listenAddresses.isEmpty ? 5432 : Int.random(in: 20_000..<60_000)
        folder = try ScratchFolder("pg")
        socketFolder = folder.path("socket")
        dataFolder = folder.path("data")
        logFile = folder.path("server.log")
        do {
            chmod(folder.path, 0o755)
            try Self.makeFolder(socketFolder, mode: 0o755)
            guard FileManager.default.createFile(atPath: logFile, contents: nil) else {
                throw ProcessSpawn.Failure(description: "cannot create \(logFile)")
            }
            if let owner = Self.owner { chown(logFile, owner.uid, owner.gid) }
            let (status, output) = try ProcessSpawn.run("/bin/cp", ["-a", try Self.template.get().path("data"), dataFolder], includingErrors: true)
            guard status == 0 else { throw ProcessSpawn.Failure(description: "cannot copy the template cluster: \(output)") }
            if !listenAddresses.isEmpty {
                let networks = listenAddresses.map { address in
                    "host all all \(address.split(separator: ".").prefix(3).joined(separator: ".")).0/24 trust\n"
                }
                let rules = try FileHandle(forWritingTo: URL(fileURLWithPath: dataFolder + "/pg_hba.conf"))
                try rules.seekToEnd()
                try rules.write(contentsOf: Data(networks.joined().utf8))
                try rules.close()
            }
            try start()
        } catch {
            folder.remove()
            throw error
        }
    }

    deinit {
        remove()
    }

    /// Starts the server and waits (at most 30 s) until it accepts connections.
    public func start() throws {
        guard !isRunning else { return }
        let options = "-k \(socketFolder) -p \(port) -c listen_addresses='\(listenAddresses.joined(separator: ","))'"
        try run("pg_ctl", ["-D", dataFolder, "-l", logFile, "-o", options, "-w", "-t", "30", "start"])
        isRunning = true
    }

    /// Stops the server and waits (at most 30 s) until it has.
    public func stop(mode: StopMode = .fast) throws {
        guard isRunning else { return }
        try run("pg_ctl", ["-D", dataFolder, "-m", mode.rawValue, "-w", "-t", "30", "stop"])
        isRunning = false
    }

    /// Stops the server and starts it again: every session ends.
    public func restart(mode: StopMode = .fast) throws {
        try stop(mode: mode)
        try start()
    }

    /// Stops the server (immediately: its data is thrown away) and deletes the folder. Should
    /// `pg_ctl` fail, the postmaster named in this cluster's PID file is killed.
    public func remove() {
        if isRunning, (try? stop(mode: .immediate)) == nil, let pid = postmasterPID {
            kill(pid, SIGKILL)
        }
        isRunning = false
        folder.remove()
    }

    /// The server's log: why it did not start, what it did at a crash recovery.
    public var log: String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    private var postmasterPID: pid_t? {
        (try? String(contentsOfFile: "\(dataFolder)/postmaster.pid", encoding: .utf8))?.split(separator: "\n").first.flatMap { pid_t($0) }
    }

    /// Runs one of the server's programs as the cluster's owner, for at most 60 s.
    private func run(_ program: String, _ arguments: [String]) throws {
        do {
            try Self.run(program, arguments)
        } catch {
            throw ProcessSpawn.Failure(description: "\(error)\nserver log:\n\(log)")
        }
    }

    private static func run(_ program: String, _ arguments: [String]) throws {
        let path = "\(binaries)/\(program)"
        let (status, output) =
            if let owner {
                try ProcessSpawn.run("/usr/sbin/runuser", ["-u", owner.name, "--", path] + arguments, seconds: 60, includingErrors: true)
            } else {
                try ProcessSpawn.run(path, arguments, seconds: 60, includingErrors: true)
            }
        guard status == 0 else {
            throw ProcessSpawn.Failure(description: "\(program) \(arguments.joined(separator: " ")) failed (status \(status)): \(output)")
        }
    }

    /// Makes the folder `path`, owned by the cluster's owner, with `mode`.
    private static func makeFolder(_ path: String, mode: mode_t) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        chmod(path, mode)
        if let owner { chown(path, owner.uid, owner.gid) }
    }
}
