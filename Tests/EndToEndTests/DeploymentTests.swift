import Foundation
import Glibc
import XCTest

/// Every way the same binary is deployed, each through a real server and the shipped
/// configuration: spawn-fcgi behind nginx, Apache httpd with mod_fcgid, Apache with plain CGI
/// (a site of its own, and a shared host's `.htaccess`).
final class DeploymentTests: XCTestCase {
    var stacks: [Stack] = []
    var servers: [ApacheServer] = []

    override func tearDown() {
        for stack in stacks { stack.stop() }
        for server in servers { server.stop() }
        stacks = []
        servers = []
    }

    static var responder: String { Stack.products.appendingPathComponent("movieclassifier-fcgi").path }

    func testJourneyThroughNginxAndSpawnFcgi() throws {
        let stack = try Stack(workers: 2, launcher: .spawnFcgi)
        stacks.append(stack)
        try Journey.assertWorks(base: "http://127.0.0.1:\(stack.port)", database: stack.database)
        XCTAssertFalse(stack.responderLog.contains("error"), stack.responderLog)
    }

    func testJourneyThroughApacheModFcgid() throws {
        let server = try siteOfItsOwn(gateway: .fcgid)
        try Journey.assertWorks(base: server.base, database: server.folder + "/data/feedback.sqlite")
        XCTAssertFalse(server.fcgidSockets.isEmpty, "mod_fcgid started long-lived processes")
    }

    func testJourneyThroughApachePlainCGI() throws {
        let server = try siteOfItsOwn(gateway: .cgi)
        try Journey.assertWorks(base: server.base, database: server.folder + "/data/feedback.sqlite")
        XCTAssertEqual(server.fcgidSockets, [], "no FastCGI process: one CGI process per request")
    }

    func testApacheServesNoPrivateRouteUnlessTheyAreEnabled() throws {
        for gateway in [ApacheServer.Gateway.cgi, .fcgid] {
            let server = try siteOfItsOwn(gateway: gateway)
            XCTAssertEqual(try HTTP.get(URL(string: server.base + "/")!).status, 200, "\(gateway)")
            for path in ["/status", "/metrics", "/admin/"] {
                XCTAssertEqual(try HTTP.get(URL(string: server.base + path)!).status, 404, "\(gateway) \(path)")
            }
        }
    }

    func testJourneyThroughSharedHostHtaccessWithPlainCGI() throws {
        let server = try sharedHost(gateway: .cgi)
        try Journey.assertWorks(base: server.base, database: server.folder + "/app/data/feedback.sqlite")
        XCTAssertEqual(server.fcgidSockets, [], "no FastCGI process: one CGI process per request")
    }

    func testJourneyThroughSharedHostHtaccessWithModFcgid() throws {
        let server = try sharedHost(gateway: .fcgid)
        try Journey.assertWorks(base: server.base, database: server.folder + "/app/data/feedback.sqlite")
        XCTAssertFalse(server.fcgidSockets.isEmpty, "mod_fcgid started long-lived processes")
    }

    /// `apache/movieclassifier.conf` as shipped, its folders defined to a release-like layout
    /// in the server's folder (`home/`, with the database in `data/`).
    private func siteOfItsOwn(gateway: ApacheServer.Gateway) throws -> ApacheServer {
        let server = try ApacheServer(gateway: gateway) { folder, port in
            try Self.release(at: folder + "/home")
            try Self.writableFolder(folder + "/data")
            return """
                Define MOVIECLASSIFIER_HOME \(folder)/home
                Define MOVIECLASSIFIER_DATA \(folder)/data
                Define MOVIECLASSIFIER_PORT \(port)
                Include \(Stack.repository)/apache/movieclassifier.conf
                """
        }
        servers.append(server)
        return server
    }

    /// A shared host as the README describes it: the release in `app/` (outside the document
    /// root, the database in `app/data/`), and in the document root `public_html/` the shipped
    /// `.htaccess`, the wrapper `movieclassifier.cgi` with its APP line set, and `static/`.
    private func sharedHost(gateway: ApacheServer.Gateway) throws -> ApacheServer {
        let server = try ApacheServer(gateway: gateway) { folder, _ in
            let app = folder + "/app"
            let documentRoot = folder + "/public_html"
            try Self.release(at: app)
            try Self.writableFolder(app + "/data")
            let files = FileManager.default
            try files.createDirectory(atPath: documentRoot, withIntermediateDirectories: true)
            try files.copyItem(atPath: Stack.repository + "/apache/htaccess", toPath: documentRoot + "/.htaccess")
            try files.copyItem(atPath: Stack.repository + "/www/static", toPath: documentRoot + "/static")
            let wrapper = try String(contentsOfFile: Stack.repository + "/apache/movieclassifier.cgi", encoding: .utf8)
            XCTAssertTrue(wrapper.contains("APP=/home/USER/movieclassifier\n"), "the line the README tells the operator to edit")
            try wrapper.replacingOccurrences(of: "APP=/home/USER/movieclassifier\n", with: "APP=\(app)\n")
                .write(toFile: documentRoot + "/movieclassifier.cgi", atomically: true, encoding: .utf8)
            chmod(documentRoot + "/movieclassifier.cgi", 0o755)
            return """
                DocumentRoot \(documentRoot)
                <Directory \(documentRoot)>
                    AllowOverride FileInfo Options
                    Require all granted
                </Directory>
                """
        }
        servers.append(server)
        return server
    }

    /// The layout of the release tarball, by links: `bin/movieclassifier-fcgi`,
    /// `model/classifier.mcm`, `www/`.
    static func release(at home: String) throws {
        let files = FileManager.default
        try files.createDirectory(atPath: home + "/bin", withIntermediateDirectories: true)
        try files.createDirectory(atPath: home + "/model", withIntermediateDirectories: true)
        try files.createSymbolicLink(atPath: home + "/bin/movieclassifier-fcgi", withDestinationPath: responder)
        try files.createSymbolicLink(atPath: home + "/model/classifier.mcm", withDestinationPath: Stack.repository + "/model/classifier.mcm")
        try files.createSymbolicLink(atPath: home + "/www", withDestinationPath: Stack.repository + "/www")
    }

    /// A folder Apache's user (www-data when the tests run as root) can create the database in.
    static func writableFolder(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o777)
    }
}
