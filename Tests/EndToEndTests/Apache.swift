import Foundation
import Glibc
import TestSupport
import XCTest

/// A private Apache httpd for a test: its own ServerRoot, configuration, logs, PID file and
/// mod_fcgid state in a folder of its own, listening on a free loopback port, stopped by PID.
///
/// Started as root, Apache serves (and runs the program) as www-data, so the folder is made
/// writable for everyone: the database and the key are created there by www-data.
final class ApacheServer {
    enum Gateway {
        /// mod_fcgid: long-lived FastCGI processes.
        case fcgid
        /// mod_cgi: one process per request.
        case cgi

        var modules: [(String, String)] {
            switch self {
            case .fcgid: [("fcgid_module", "mod_fcgid.so")]
            case .cgi: [("cgi_module", "mod_cgi.so")]
            }
        }
    }

    let folder: String
    let port: Int
    private var pid: pid_t?

    var base: String { "http://127.0.0.1:\(port)" }

    /// Prepares the folder (`folder/apache`) and lets `prepare` add the site's files before the
    /// configuration (`site`, appended to the main configuration) is loaded.
    init(gateway: Gateway, site: (_ folder: String, _ port: Int) throws -> String) throws {
        try SystemComponent.require(.apache)
        if gateway == .fcgid { try SystemComponent.require(.modFcgid) }
        folder = try ScratchFolder("movieclassifier-apache").path
        port = try Stack.freePort()
        for sub in ["", "/logs", "/run", "/fcgid"] {
            try FileManager.default.createDirectory(atPath: folder + sub, withIntermediateDirectories: true)
            chmod(folder + sub, 0o777)
        }
        let modules =
            [
                ("mpm_prefork_module", "mod_mpm_prefork.so"), ("authz_core_module", "mod_authz_core.so"),
                ("mime_module", "mod_mime.so"), ("alias_module", "mod_alias.so"), ("env_module", "mod_env.so"),
                ("rewrite_module", "mod_rewrite.so"), ("headers_module", "mod_headers.so"),
            ] + gateway.modules
        let user = getuid() == 0 ? "User www-data\nGroup www-data\n" : ""
        let main =
            modules.map { "LoadModule \($0.0) /usr/lib/apache2/modules/\($0.1)" }.joined(separator: "\n") + """

                ServerRoot \(folder)
                ServerName 127.0.0.1
                Listen 127.0.0.1:\(port)
                PidFile \(folder)/run/httpd.pid
                DefaultRuntimeDir \(folder)/run
                ErrorLog \(folder)/logs/error.log
                LogLevel warn
                TypesConfig /etc/mime.types
                StartServers 2
                MinSpareServers 2
                MaxRequestWorkers 16
                \(user)
                <IfModule mod_fcgid.c>
                    FcgidIPCDir \(folder)/fcgid
                    FcgidProcessTableFile \(folder)/fcgid/shm
                </IfModule>
                <Directory />
                    AllowOverride None
                    Require all denied
                </Directory>

                """ + (try site(folder, port))
        try main.write(toFile: folder + "/httpd.conf", atomically: true, encoding: .utf8)

        let starter = try Stack.spawn(
            "/usr/sbin/apache2", ["-d", folder, "-f", folder + "/httpd.conf", "-k", "start"], stderr: folder + "/logs/start.log")
        var status: Int32 = 0
        waitpid(starter, &status, 0)
        guard status == 0 else { throw StackError.setup("apache2 did not start (status \(status)): \(log)") }
        try Stack.waitFor("Apache's pid file") { FileManager.default.fileExists(atPath: self.folder + "/run/httpd.pid") }
        pid = pid_t(try String(contentsOfFile: folder + "/run/httpd.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        try Stack.waitFor("Apache to answer") { (try? HTTP.get(URL(string: self.base + "/static/style.css")!)) != nil }
    }

    /// Apache's start-up messages and error log (CGI programs' standard error lands there).
    var log: String {
        ["/logs/start.log", "/logs/error.log"].compactMap { try? String(contentsOfFile: folder + $0, encoding: .utf8) }.joined()
    }

    /// The sockets mod_fcgid made for the FastCGI processes it started (none under mod_cgi).
    var fcgidSockets: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/fcgid")) ?? []).filter { $0 != "shm" }
    }

    /// Stops Apache (SIGTERM to its PID: children and their programs are stopped) and removes
    /// the folder.
    func stop() {
        if let pid {
            kill(pid, SIGTERM)
            try? Stack.waitFor("Apache to stop", timeout: 15) { !FileManager.default.fileExists(atPath: self.folder + "/run/httpd.pid") }
        }
        pid = nil
        try? FileManager.default.removeItem(atPath: folder)
    }

    deinit {
        stop()
    }
}
