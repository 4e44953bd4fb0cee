import FeedbackStore
import Foundation
import Glibc
import LiveModel
import LiveService
import SentimentModel
import Support
import WebApp

/// What the application itself costs per request, without nginx, FastCGI or the network: the
/// share of a request's time that is ours, against the load benchmark's totals
/// (scripts/benchmark-web.sh). In process, on the bundled model and a fresh database in a
/// temporary folder, the requests cycling through the reviews given (the load benchmark gives
/// real reviews of the test split); `POST /thanks` stores each row durably (WAL, the log
/// synced before the answer). `results`, `thanks` or `predict` (the API, one text and 32 a request)
/// runs only that row, for an instruction count under callgrind or a profile.
///
///   web-benchmark MODEL TEMPLATES REVIEWS_FILE [REQUESTS [all|results|thanks|predict]]
struct WebBenchmark {
    enum Rows: String {
        case all, results, thanks, predict
    }

    let modelPath: String
    let templates: String
    let reviews: [String]
    let requests: Int
    let rows: Rows

    func run() throws {
        var folderTemplate = Array("/tmp/web-benchmark.XXXXXX".utf8CString)
        guard let folderPointer = mkdtemp(&folderTemplate) else { throw Failure("cannot create a temporary folder") }
        let folder = String(cString: folderPointer)
        defer { removeFolder(folder) }
        let store = try FeedbackStore(path: folder + "/feedback.sqlite")
        let classifier = try LiveClassifier(modelPath: modelPath, store: store)
        let signer = try FormSigner.loadOrCreateKey(at: folder + "/feedback.key")
        let application = try WebApplication(
            // The rules on, with limits the benchmark's one client never reaches: every row is stored.
            service: LiveSentimentService(classifier: classifier, policy: TrustPolicy(budget: .max, storedLimit: .max)), templates: templates,
            signer: signer)

        let form = [HTTPRequest(method: "GET", path: "/")]
        let results = reviews.map { review in
            HTTPRequest(
                method: "POST", path: "/results", headers: ["content-type": "application/x-www-form-urlencoded"],
                body: Array(("review=" + Self.formEncode(review)).utf8))
        }
        let thanks = results.map { results in
            let page = String(decoding: application.respond(to: results).body, as: UTF8.self)
            return HTTPRequest(
                method: "POST", path: "/thanks", headers: ["content-type": "application/x-www-form-urlencoded"],
                body: Array((Self.hiddenFields(of: page) + "&feedback_button=Correct").utf8))
        }

        // The JSON API: each review alone in a :predict, and 32 of them (repeated if fewer) in one.
        func predict(_ texts: [String]) throws -> HTTPRequest {
            HTTPRequest(
                method: "POST", path: "/v1/models/sentiment:predict", headers: ["content-type": "application/json"],
                body: Array(try JSONSerialization.data(withJSONObject: ["instances": texts])))
        }
        let single = try reviews.map { try predict([$0]) }
        let batch = [try predict((0..<32).map { reviews[$0 % reviews.count] })]

        let lengths = reviews.map(\.count).sorted()
        print("movieclassifier web benchmark: the application alone, in process, \(requests) requests per row")
        print(
            "reviews: \(reviews.count), \(lengths[0])-\(lengths[lengths.count - 1]) characters (median \(lengths[lengths.count / 2])); model: \(modelPath)"
        )
        print(pad("request", 16) + pad("median", 10) + pad("p99", 10) + "requests/s on one core")
        var table: [(String, [HTTPRequest], Int)] = []
        if rows == .all { table.append(("GET /", form, requests)) }
        if rows == .all || rows == .results { table.append(("POST /results", results, requests)) }
        if rows == .all || rows == .thanks { table.append(("POST /thanks", thanks, rows == .all ? min(requests, 2_000) : requests)) }
        if rows == .all || rows == .predict {
            table.append((":predict ×1", single, requests))
            table.append((":predict ×32", batch, max(1, requests / 32)))
        }
        for (name, requests, count) in table {
            var nanoseconds: [Int64] = []
            nanoseconds.reserveCapacity(count)
            for index in 0..<count {
                let request = requests[index % requests.count]
                let start = ContinuousClock.now
                let response = application.respond(to: request)
                let elapsed = ContinuousClock.now - start
                guard response.status == 200 else { throw Failure("\(name) answered \(response.status)") }
                nanoseconds.append(elapsed.nanoseconds)
            }
            nanoseconds.sort()
            let median = Double(nanoseconds[count / 2]) / 1000
            let p99 = Double(nanoseconds[count * 99 / 100]) / 1000
            let mean = Double(nanoseconds.reduce(0, +)) / Double(count) / 1000
            print(pad(name, 16) + pad(format(median) + " µs", 10) + pad(format(p99) + " µs", 10) + "\(Int(1_000_000 / mean))")
        }
    }

    /// As a browser encodes a textarea: `+` for spaces, everything but unreserved bytes escaped.
    static func formEncode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "): encoded += "+"
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                encoded += "%" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return encoded
    }

    /// The results page's hidden fields, form-encoded, as the browser posts them back.
    static func hiddenFields(of page: String) -> String {
        page.split(separator: "<input type=\"hidden\" ").dropFirst().map { tag in
            let name = tag.split(separator: "\"")[1]
            let value = tag.split(separator: "value=\"", maxSplits: 1)[1].prefix { $0 != "\"" }
            let unescaped = value.replacing("&quot;", with: "\"").replacing("&#39;", with: "'").replacing("&lt;", with: "<")
                .replacing("&gt;", with: ">").replacing("&amp;", with: "&")
            return "\(name)=\(formEncode(String(unescaped)))"
        }.joined(separator: "&")
    }

    func removeFolder(_ folder: String) {
        for name in ["feedback.sqlite", "feedback.sqlite-wal", "feedback.sqlite-shm", "feedback.sqlite-changes", "feedback.key"] {
            unlink(folder + "/" + name)
        }
        rmdir(folder)
    }

    func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(1, width - text.count)) }
    func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
