import Foundation
import XCTest

/// A program from a Debian package that some tests need (a real nginx, a browser, Apache). A
/// plain `swift test` skips those tests where it is missing, saying which package brings it;
/// `./test.sh` and CI set `MOVIECLASSIFIER_REQUIRE_SYSTEM_TESTS=1`, which makes a missing
/// component a failure, so that CI can never skip them.
public struct SystemComponent: Sendable {
    public static let requireVariable = "MOVIECLASSIFIER_REQUIRE_SYSTEM_TESTS"

    /// A name looked up in `PATH` and the system folders, or an absolute path.
    public let program: String
    /// The Debian package that installs it.
    public let package: String

    public init(program: String, package: String) {
        self.program = program
        self.package = package
    }

    public static let nginx = SystemComponent(program: "nginx", package: "nginx")
    public static let chromium = SystemComponent(program: "chromium", package: "chromium")
    public static let chromedriver = SystemComponent(program: "chromedriver", package: "chromium-driver")
    public static let apache = SystemComponent(program: "apache2", package: "apache2")
    public static let modFcgid = SystemComponent(program: "/usr/lib/apache2/modules/mod_fcgid.so", package: "libapache2-mod-fcgid")
    public static let spawnFcgi = SystemComponent(program: "spawn-fcgi", package: "spawn-fcgi")
    public static let sqlite3 = SystemComponent(program: "sqlite3", package: "sqlite3")
    public static let postgresql = SystemComponent(program: "\(PostgreSQLServer.binaries)/initdb", package: "postgresql")
    public static let ip = SystemComponent(program: "/usr/sbin/ip", package: "iproute2")
    public static let strace = SystemComponent(program: "strace", package: "strace")

    /// Where the program is, if it is installed: an absolute path as it is, a name looked up
    /// in `PATH` and the system folders.
    public var location: String? {
        if program.hasPrefix("/") { return access(program, F_OK) == 0 ? program : nil }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { access($0, X_OK) == 0 }
    }

    /// Throws `XCTSkip` naming the package when any of `components` is missing, or a failure
    /// where the test command requires the system tests.
    public static func require(_ components: SystemComponent...) throws {
        let missing = components.filter { $0.location == nil }
        guard !missing.isEmpty else { return }
        let names = missing.map { "\($0.program) (Debian package \($0.package))" }.joined(separator: ", ")
        if ProcessInfo.processInfo.environment[requireVariable] == "1" {
            throw Missing(description: "\(names) not installed, and \(requireVariable)=1 requires it: ./test.sh installs it")
        }
        throw XCTSkip("needs \(names): `apt-get install \(missing.map(\.package).joined(separator: " "))`, or run ./test.sh, which installs it")
    }

    /// A component that the test command requires is missing.
    public struct Missing: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }
}
