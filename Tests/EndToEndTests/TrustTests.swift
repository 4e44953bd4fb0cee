import FeedbackStore
import Foundation
import Glibc
import SentimentModel
import TestSupport
import WebApp
import XCTest

/// The trust rules through real nginx and workers, with clients at distinct loopback addresses
/// (all of 127.0.0.0/8 is loopback): one client cannot steer the model however fast it posts,
/// many clients' honest corrections are learned at once, held rows wait for an admin, and no
/// address is stored.
final class TrustTests: XCTestCase {
    var stacks: [Stack] = []

    override func tearDown() {
        for stack in stacks { stack.stop() }
        stacks = []
    }

    func start(workers: Int = 2, model: String = Stack.repository + "/model/classifier.mcm", arguments: [String] = [], postLimit: Stack.PostLimit)
        throws -> Stack
    {
        let stack = try Stack(workers: workers, model: model, arguments: arguments, postLimit: postLimit)
        stacks.append(stack)
        return stack
    }

    static let confident = "Brilliant, beautiful and moving: one of the best films I have ever seen, a true masterpiece."
    static let borderline = "Some good moments, some dull ones; an average film overall."
    /// Words an attacker appends to make variants that are new texts to the rules.
    static let padding = ["truly", "really", "honestly", "simply", "clearly", "surely", "frankly", "plainly", "quite", "utterly"]

    /// P(positive) as the results page shows it (to a tenth of a percent), asked from `client`.
    func probability(_ stack: Stack, _ review: String, from client: String) throws -> Double {
        let page = try HTTP.post(stack.url("/results"), form: [("review", review)], from: client)
        XCTAssertEqual(page.status, 200, page.body)
        let label = try XCTUnwrap(page.body.firstMatch(of: #/<span class="label">(\w+)</span>/#)?.1, page.body)
        let percent = try XCTUnwrap(page.body.firstMatch(of: #/<span class="percent">([0-9.]+)%</span>/#).flatMap { Double($0.1) }, page.body)
        return label == "positive" ? percent / 100 : 1 - percent / 100
    }

    /// The feedback form of a results page for `review` predicted `prediction`, signed with the
    /// site's key as the server signs it, answered `button`.
    func form(_ stack: Stack, _ review: String, prediction: Sentiment, button: String) throws -> [(String, String)] {
        let key = try Data(contentsOf: URL(fileURLWithPath: String(stack.database.dropLast(".sqlite".count)) + ".key"))
        let signature = FormSigner(key: Array(key)).signature(review: review, prediction: prediction)
        return [("review", review), ("prediction", String(prediction.rawValue)), ("signature", signature), ("feedback_button", button)]
    }

    /// One client answering "Incorrect" to `count` variants of the confident review (a number, or
    /// words, appended) as fast as it can; returns how many answers had each status.
    func attack(_ stack: Stack, count: Int, from client: String) throws -> [Int: Int] {
        var statuses: [Int: Int] = [:]
        let started = Date()
        for number in 0..<count {
            let variant = number % 2 == 0 ? Self.confident + " #\(number)" : Self.confident + " " + Self.padding[number / 2 % 10] + " \(number / 20)"
            let answer = try HTTP.post(stack.url("/thanks"), form: form(stack, variant, prediction: .positive, button: "Incorrect"), from: client)
            statuses[answer.status, default: 0] += 1
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "in under a minute")
        return statuses
    }

    func testOneClientPostingAThousandCorrectionsOfAConfidentReviewLeavesItsVerdictUnchanged() throws {
        // Behind the shipped nginx: its limit answers most of them, the application the rest.
        let guarded = try start(postLimit: .shipped)
        let before = try probability(guarded, Self.confident, from: "127.0.0.3")
        XCTAssertGreaterThanOrEqual(before, 0.95, "a confident verdict")
        let throughNginx = try attack(guarded, count: 1_000, from: "127.0.0.2")
        print("trust figures, behind nginx: \(throughNginx.sorted { $0.key < $1.key })")
        XCTAssertEqual(Set(throughNginx.keys), [200, 429])
        XCTAssertLessThanOrEqual(throughNginx[200] ?? 0, 60, "nginx lets 20 through at once, then 30 a minute")
        XCTAssertEqual(try probability(guarded, Self.confident, from: "127.0.0.4"), before, "unchanged")

        // Without nginx's limit (Apache, a shared host): the application's own rules alone.
        let bare = try start(postLimit: .unlimited)
        let direct = try attack(bare, count: 1_000, from: "127.0.0.2")
        print("trust figures, the application alone: \(direct.sorted { $0.key < $1.key })")
        XCTAssertEqual(direct, [200: TrustPolicy().storedLimit, 429: 1_000 - TrustPolicy().storedLimit], "stored up to the limit, then refused")
        XCTAssertEqual(try probability(bare, Self.confident, from: "127.0.0.4"), before, "unchanged")
        let rows = try FeedbackStore(path: bare.database).rows(after: 0, limit: 1_000)
        XCTAssertEqual(rows.count, TrustPolicy().storedLimit)
        XCTAssertFalse(rows.contains { $0.state == .counts }, "none counts: \(Set(rows.map(\.state)))")
        XCTAssertTrue(rows.contains { $0.state == .needsAgreement } && rows.contains { $0.state == .repeated })
    }

    func testFortyDistinctClientsCorrectingABorderlineReviewMoveItByTenPointsAndNoAddressIsStored() throws {
        let stack = try start(postLimit: .shipped)
        let before = try probability(stack, Self.borderline, from: "127.0.0.200")
        XCTAssertLessThan(before, 0.5, "the model says negative")
        for client in 2...41 {
            let address = "127.0.0.\(client)"
            let page = try HTTP.post(stack.url("/results"), form: [("review", Self.borderline)], from: address)
            XCTAssertEqual(page.status, 200)
            // Each says the review is positive: "Incorrect" while the page says negative.
            let button = page.body.contains(#"<span class="label">positive</span>"#) ? "Correct" : "Incorrect"
            let answer = try HTTP.post(stack.url("/thanks"), form: HiddenFields.of(page.body) + [("feedback_button", button)], from: address)
            XCTAssertEqual(answer.status, 200, "client \(address)")
        }
        let after = try probability(stack, Self.borderline, from: "127.0.0.200")
        print("trust figures: 40 clients moved P(positive) from \(before) to \(after)")
        XCTAssertGreaterThanOrEqual(after - before, 0.10, "at least 10 points towards their label")

        let rows = try FeedbackStore(path: stack.database).rows(after: 0, limit: 100)
        XCTAssertEqual(rows.count, 40)
        XCTAssertEqual(Set(rows.compactMap(\.client)).count, 40, "one id per client")
        XCTAssertTrue(rows.allSatisfy { $0.state == .counts && $0.sentiment == 1 })
        for file in [stack.database, stack.database + "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            XCTAssertNil(bytes.range(of: Data("127.0.0.".utf8)), "\(file) holds a raw address")
        }
    }

    func testAHeldRowChangesNoPredictionUntilAcceptedThenEveryWorkerAndTheUpdateAgree() throws {
        let scratch = try ScratchFolder("movieclassifier-held")
        defer { scratch.remove() }
        let model = scratch.path("classifier.mcm")
        try FileManager.default.copyItem(atPath: Stack.repository + "/model/classifier.mcm", toPath: model)
        let stack = try start(model: model, arguments: ["--feedback-budget", "0"], postLimit: .shipped)
        // Each from its own address: nginx lets 20 POSTs of one address through at once.
        var probe = 100
        func predictions() throws -> Set<Double> {
            Set(
                try (0..<12).map { _ in
                    probe += 1
                    return try probability(stack, Self.borderline, from: "127.0.0.\(probe)")
                })
        }
        let before = try predictions()
        XCTAssertEqual(before.count, 1)
        let page = try HTTP.post(stack.url("/results"), form: [("review", Self.borderline)], from: "127.0.0.2")
        XCTAssertEqual(
            try HTTP.post(stack.url("/thanks"), form: HiddenFields.of(page.body) + [("feedback_button", "Incorrect")], from: "127.0.0.2").status, 200)
        XCTAssertEqual(try FeedbackStore(path: stack.database).rows(after: 0, limit: 10).map(\.state), [.overBudget])
        XCTAssertEqual(try predictions(), before, "held: no worker learned it")

        let admin = BuiltProducts.executable("movieclassifier", besides: TrustTests.self)
        let accepted = try SpawnedProgram(admin, ["feedback", "accept", "--db", stack.database, "1"], in: scratch.path).wait()
        XCTAssertEqual(accepted.status, 0, accepted.errors)
        let learned = try predictions()
        XCTAssertEqual(learned.count, 1, "every worker agrees: \(learned)")
        XCTAssertGreaterThan(try XCTUnwrap(learned.first), try XCTUnwrap(before.first), "learned towards positive")

        let update = try SpawnedProgram(admin, ["update", "--model", model, "--db", stack.database], in: scratch.path).wait()
        XCTAssertEqual(update.status, 0, update.errors)
        XCTAssertTrue(update.output.contains("learned:   1"), update.output)
        XCTAssertEqual(try predictions(), learned, "the update folded what the workers learned")
    }

    func testInCGIModeOneClientIsStoredUpToItsLimitAndCannotMoveAConfidentVerdict() throws {
        let scratch = try ScratchFolder("movieclassifier-cgi-trust")
        defer { scratch.remove() }
        let program = BuiltProducts.executable("movieclassifier-fcgi", besides: TrustTests.self)
        let settings = [
            "MOVIECLASSIFIER_MODEL=\(Stack.repository)/model/classifier.mcm", "MOVIECLASSIFIER_DB=\(scratch.path("feedback.sqlite"))",
            "MOVIECLASSIFIER_WWW=\(Stack.repository)/www", "MOVIECLASSIFIER_FEEDBACK_LIMIT=30", "MOVIECLASSIFIER_FEEDBACK_BUDGET=10",
        ]
        /// One CGI request: its status and body.
        func request(_ path: String, form: [(String, String)], from client: String) throws -> (status: Int, body: String) {
            let body = FormEncoding.encode(form)
            let run = try SpawnedProgram(
                program, [], input: body, in: scratch.path,
                environment: settings + [
                    "REQUEST_METHOD=POST", "DOCUMENT_URI=\(path)", "CONTENT_TYPE=application/x-www-form-urlencoded",
                    "CONTENT_LENGTH=\(body.utf8.count)", "REMOTE_ADDR=\(client)",
                ]
            ).wait()
            XCTAssertEqual(run.status, 0, run.errors)
            let status = run.output.firstMatch(of: #/^Status: (\d+)/#).flatMap { Int($0.1) } ?? 0
            return (status, run.output)
        }
        func probability() throws -> String {
            let page = try request("/results", form: [("review", Self.confident)], from: "127.0.0.7")
            return try XCTUnwrap(page.body.firstMatch(of: #/<span class="percent">[^<]+</span>/#).map { String($0.output) }, page.body)
        }
        let before = try probability()
        let key = try Data(contentsOf: URL(fileURLWithPath: scratch.path("feedback.key")))
        var statuses: [Int: Int] = [:]
        for number in 0..<40 {
            let variant = Self.confident + " " + Self.padding[number % 10] + " \(number)"
            let signature = FormSigner(key: Array(key)).signature(review: variant, prediction: .positive)
            let answer = try request(
                "/thanks", form: [("review", variant), ("prediction", "1"), ("signature", signature), ("feedback_button", "Incorrect")],
                from: "127.0.0.2")
            statuses[answer.status, default: 0] += 1
        }
        XCTAssertEqual(statuses, [200: 30, 429: 10])
        XCTAssertEqual(try probability(), before)
        let rows = try FeedbackStore(path: scratch.path("feedback.sqlite")).rows(after: 0, limit: 100)
        XCTAssertEqual(Set(rows.map(\.state)), [.needsAgreement, .repeated])
        XCTAssertEqual(Set(rows.compactMap(\.client)).count, 1)
    }
}
