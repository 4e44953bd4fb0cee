import Foundation
import Glibc
import TestSupport

/// An nginx balancing several hosts (`Stack`s), as `./run.sh --cluster` starts one
/// (nginx/cluster.conf.template), on a free loopback port, in a folder of its own; stopped by
/// PID.
final class Balancer: Site {
    let folder: ScratchFolder
    let port: Int
    private(set) var pid: pid_t?

    init(hosts: [Stack]) throws {
        folder = try ScratchFolder("movieclassifier-balancer")
        port = try Stack.freePort()
        let ports = hosts.map { String($0.port) }.joined(separator: " ")
        try Stack.shell(
            "source '\(Stack.repository)/scripts/nginx-config.sh' && render_balancer_nginx_config '\(folder.path)' \(port) 1000000r/s 1000000 \(ports)"
        )
        try Stack.shell("nginx -p '\(folder.path)/' -c '\(folder.path)/nginx.conf' -e '\(folder.path)/logs/error.log'")
        try Stack.waitFor("the balancer's pid file") { FileManager.default.fileExists(atPath: self.folder.path("nginx.pid")) }
        pid = pid_t(try String(contentsOfFile: folder.path("nginx.pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        try Stack.waitFor("the first page through the balancer") { (try? HTTP.get(self.url("/")).status) == 200 }
    }

    func url(_ path: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)")!
    }

    /// Stops nginx gracefully and removes the folder.
    func stop() {
        if let pid {
            kill(pid, SIGQUIT)
            try? Stack.waitFor("the balancer to stop", timeout: 10) { !FileManager.default.fileExists(atPath: self.folder.path("nginx.pid")) }
        }
        pid = nil
        folder.remove()
    }
}
