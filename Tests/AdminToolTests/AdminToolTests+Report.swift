import FeedbackStore
import Foundation
import TestSupport
import XCTest

extension AdminToolTests {
    func testReportWritesTheAdminPageAsOneSelfContainedFile() throws {
        let model = folder + "/classifier.mcm"
        XCTAssertEqual(try run(["train", "--data", try writeCorpus(), "--out", model, "--test-size", "0"]).status, 0)
        let database = folder + "/feedback.sqlite"
        let store = try FeedbackStore(path: database)
        _ = try store.insert(
            NewFeedback(review: "a wonderful superb film <b>", sentiment: 1, client: "client-1", probabilityPositive: 0.9), policy: TrustPolicy())
        let out = folder + "/report.html"

        let result = try run(["report", "--db", database, "--model", model, "--out", out, "--www", BuiltProducts.repository + "/www"])

        XCTAssertEqual(result.status, 0, result.errors)
        XCTAssertTrue(result.output.contains("wrote \(out)"), result.output)
        XCTAssertTrue(result.output.contains("1 of 1 predictions confirmed"), result.output)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("<style>"))
        XCTAssertTrue(html.contains("--positive:"), "style.css is embedded")
        XCTAssertTrue(html.contains("figure.chart"), "admin.css is embedded")
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("http:") || html.contains("https:"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertTrue(html.contains("client-1"))
        XCTAssertTrue(html.contains("superb"))
    }

    func testReportFailsWithAClearMessageOnAMissingDatabaseOrSiteFolder() throws {
        let model = folder + "/classifier.mcm"
        XCTAssertEqual(try run(["train", "--data", try writeCorpus(), "--out", model, "--test-size", "0"]).status, 0)
        let www = BuiltProducts.repository + "/www"

        let missingDatabase = try run(["report", "--db", folder + "/none.sqlite", "--model", model, "--out", folder + "/r.html", "--www", www])
        XCTAssertNotEqual(missingDatabase.status, 0)
        XCTAssertTrue(missingDatabase.errors.contains(folder + "/none.sqlite"), missingDatabase.errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/none.sqlite"), "a mistyped path leaves no empty database behind")

        _ = try FeedbackStore(path: folder + "/feedback.sqlite")
        let missingSite = try run(["report", "--db", folder + "/feedback.sqlite", "--model", model, "--out", folder + "/r.html", "--www", folder])
        XCTAssertNotEqual(missingSite.status, 0)
        XCTAssertTrue(missingSite.errors.contains("--www names the site folder"), missingSite.errors)

        let missingFolder = try run(["report", "--db", folder + "/feedback.sqlite", "--model", model, "--out", folder + "/none/r.html", "--www", www])
        XCTAssertNotEqual(missingFolder.status, 0)
        XCTAssertTrue(missingFolder.errors.contains("the folder \(folder)/none does not exist"), missingFolder.errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/r.html"))
    }
}
