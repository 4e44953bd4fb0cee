import Foundation
import SentimentModel
import XCTest

@testable import WebApp

/// The database's stand-in: a real classifier behind the service protocol, trained on a few
/// obvious texts, that keeps feedback in an array and learns it (the feedback database has
/// tests of its own).
final class InMemorySentimentService: SentimentService {
    var classifier: SentimentClassifier
    private(set) var classified: [String] = []
    private(set) var feedback: [LabeledSample] = []
    /// When set, every call throws it, as a database that is down would.
    var failure: (any Error)?

    init(classifier: SentimentClassifier = InMemorySentimentService.trained()) {
        self.classifier = classifier
    }

    static func trained() -> SentimentClassifier {
        var classifier = SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 1 << 12))
        let batch = [
            LabeledSample(text: "wonderful superb moving film, a masterpiece I loved", sentiment: .positive),
            LabeledSample(text: "brilliant acting, beautiful and gripping story", sentiment: .positive),
            LabeledSample(text: "awful dreadful boring film, a waste of time", sentiment: .negative),
            LabeledSample(text: "terrible acting, tedious and stupid story", sentiment: .negative),
        ]
        for _ in 0..<5 { classifier.partialFit(batch) }
        return classifier
    }

    func classify(_ review: String) throws -> Prediction {
        if let failure { throw failure }
        classified.append(review)
        return classifier.classify(review)
    }

    func recordFeedback(review: String, sentiment: Sentiment) throws {
        if let failure { throw failure }
        feedback.append(LabeledSample(text: review, sentiment: sentiment))
        classifier.learn(review, sentiment: sentiment)
    }
}

struct DatabaseDown: Error, CustomStringConvertible {
    var description: String { "data/feedback.sqlite: cannot insert a row: database is locked" }
}

/// What the tests need to drive the application as a browser would.
enum Browser {
    static let templates = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../www/templates").standardizedFileURL.path

    /// `application/x-www-form-urlencoded` as browsers write it: space as `+`, CRLF line
    /// breaks, everything but unreserved characters percent-escaped.
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~ ")

    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ value: String) -> String {
        crlf(value).addingPercentEncoding(withAllowedCharacters: unreserved)!.replacingOccurrences(of: " ", with: "+")
    }

    /// Line breaks as a browser submits them.
    static func crlf(_ value: String) -> String {
        value.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// The hidden fields of a page, values HTML-unescaped, in order.
    static func hiddenFields(in page: String) -> [(String, String)] {
        let pattern = try! NSRegularExpression(pattern: #"<input type="hidden" name="([^"]*)" value="([^"]*)">"#)
        let range = NSRange(page.startIndex..., in: page)
        return pattern.matches(in: page, range: range).map { match in
            (String(page[Range(match.range(at: 1), in: page)!]), unescape(String(page[Range(match.range(at: 2), in: page)!])))
        }
    }

    static func unescape(_ html: String) -> String {
        html.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}
