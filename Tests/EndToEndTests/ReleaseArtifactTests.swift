import Foundation
import Glibc
import TestSupport
import XCTest

/// The release tarball (scripts/release.sh), unpacked in a fresh folder on this host, serves
/// requests on its own: its binaries, model and pages, nothing from the build tree.
///
/// Building the tarball takes minutes (a static release build), so ./test.sh builds it and
/// names it in `MOVIECLASSIFIER_RELEASE_TARBALL`; without the variable these tests are skipped.
final class ReleaseArtifactTests: XCTestCase {
    static let variable = "MOVIECLASSIFIER_RELEASE_TARBALL"
    var folder = ""
    var package = ""

    override func setUpWithError() throws {
        guard let tarball = ProcessInfo.processInfo.environment[Self.variable] else {
            if ProcessInfo.processInfo.environment[SystemComponent.requireVariable] == "1" {
                throw SystemComponent.Missing(description: "\(Self.variable) is not set, and \(SystemComponent.requireVariable)=1 requires this test")
            }
            throw XCTSkip("\(Self.variable) is not set: ./test.sh builds the tarball with scripts/release.sh and sets it")
        }
        folder = try ScratchFolder("movieclassifier-release").path
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        XCTAssertEqual(try ProcessSpawn.run("/bin/tar", ["-xzf", tarball, "-C", folder]).status, 0)
        let unpacked = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("movieclassifier-") }
        XCTAssertEqual(unpacked.count, 1, "one top folder, movieclassifier-VERSION: \(unpacked)")
        package = folder + "/" + (unpacked.first ?? "")
    }

    override func tearDown() {
        if !folder.isEmpty { try? FileManager.default.removeItem(atPath: folder) }
    }

    func testUnpackedTarballHoldsTheProgramsModelPagesAndConfigurations() throws {
        for path in [
            "bin/movieclassifier-fcgi", "bin/movieclassifier", "model/classifier.mcm", "www/templates/form.mustache",
            "www/static/style.css", "nginx/movieclassifier.conf", "nginx/spawn-fcgi.sh", "apache/movieclassifier.conf",
            "apache/htaccess", "apache/movieclassifier.cgi", "systemd/movieclassifier.service", "INSTALL",
        ] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: package + "/" + path), path)
        }
    }

    func testBinariesNeedOnlyTheCAndCxxRuntimes() throws {
        let allowed = ["linux-vdso.so.1", "libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "/lib64/ld-linux-x86-64.so.2"]
        for program in ["movieclassifier-fcgi", "movieclassifier"] {
            let ldd = try ProcessSpawn.run("/usr/bin/ldd", [package + "/bin/" + program])
            XCTAssertEqual(ldd.status, 0)
            let libraries = ldd.output.split(separator: "\n").compactMap {
                $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
            }
            XCTAssertFalse(libraries.isEmpty)
            XCTAssertEqual(libraries.filter { !allowed.contains($0) }, [], "\(program): \(ldd.output)")
        }
    }

    func testUnpackedProgramAnswersCGIRequestsFromItsOwnFiles() throws {
        let settings = [
            "MOVIECLASSIFIER_MODEL=\(package)/model/classifier.mcm", "MOVIECLASSIFIER_DB=\(folder)/data/feedback.sqlite",
            "MOVIECLASSIFIER_WWW=\(package)/www", "GATEWAY_INTERFACE=CGI/1.1", "SERVER_PROTOCOL=HTTP/1.1",
        ]
        let form = try ProcessSpawn.run(package + "/bin/movieclassifier-fcgi", [], environment: settings + ["REQUEST_METHOD=GET", "REQUEST_URI=/"])
        XCTAssertEqual(form.status, 0)
        XCTAssertTrue(form.output.hasPrefix("Status: 200"), form.output)
        XCTAssertTrue(form.output.contains("action=\"/results\""), form.output)

        let body = "review=" + Journey.review.replacingOccurrences(of: " ", with: "+").replacingOccurrences(of: ",", with: "%2C")
        let results = try ProcessSpawn.run(
            package + "/bin/movieclassifier-fcgi", [], input: body,
            environment: settings + [
                "REQUEST_METHOD=POST", "REQUEST_URI=/results", "CONTENT_TYPE=application/x-www-form-urlencoded", "CONTENT_LENGTH=\(body.utf8.count)",
            ])
        XCTAssertEqual(results.status, 0)
        XCTAssertTrue(results.output.hasPrefix("Status: 200"), results.output)
        XCTAssertTrue(results.output.contains("positive"), results.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/data/feedback.key"), "the key is created beside the database")
    }
}
