import SentimentModel

/// Limits of what the application accepts.
public struct WebSettings: Sendable {
    /// Largest request body read; more is answered with 413.
    public var maxBodyBytes = 256 * 1024
    /// The book's form demands at least 15 characters.
    public var minReviewLength = 15
    public var maxReviewLength = 20_000

    public init() {}
}

/// The web application of the book's chapter 9: the review form, the prediction with Correct /
/// Incorrect feedback, the thank-you page; a request value in, a response value out, so it is
/// tested without a server. Bad input is answered with a 4xx page; a failing model or database
/// with 503; nothing a visitor sends makes it crash.
public final class WebApplication {
    public let settings: WebSettings
    private let service: SentimentService
    private let pages: Pages
    private let signer: FormSigner
    /// Where failures of the service are reported (the FastCGI adapter: standard error).
    private let log: (String) -> Void

    public init(service: SentimentService, templates: String, signer: FormSigner, settings: WebSettings = WebSettings(), log: @escaping (String) -> Void = { _ in }) throws {
        self.service = service
        self.pages = try Pages(folder: templates)
        self.signer = signer
        self.settings = settings
        self.log = log
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        switch (request.path, request.method) {
        case ("/", "GET"), ("/", "HEAD"):
            return page("form", ["review": "", "minimum": settings.minReviewLength], cache: "no-cache")
        case ("/results", "POST"):
            return withForm(request, results)
        case ("/thanks", "POST"):
            return withForm(request, thanks)
        case ("/", _):
            return methodNotAllowed(allow: "GET, HEAD")
        case ("/results", _), ("/thanks", _):
            return methodNotAllowed(allow: "POST")
        default:
            return error(404, "Page not found", "There is no page at this address.")
        }
    }

    private func withForm(_ request: HTTPRequest, _ handler: ([String: String]) -> HTTPResponse) -> HTTPResponse {
        guard request.body.count <= settings.maxBodyBytes else {
            return error(413, "Review too long", "The form sent is larger than \(settings.maxBodyBytes / 1024) KiB.")
        }
        let type = (request.headers["content-type"] ?? "").lowercased()
        guard type.split(separator: ";").first.map({ String($0).trimmingWhitespace() }) == "application/x-www-form-urlencoded" else {
            return error(415, "Unsupported form", "Send the form as application/x-www-form-urlencoded, as a browser does.")
        }
        do {
            return handler(try FormDecoding.fields(of: request.body))
        } catch {
            return self.error(400, "Unreadable form", "The form's data is not valid URL-encoded UTF-8.")
        }
    }

    private func results(_ form: [String: String]) -> HTTPResponse {
        let review = form["review"] ?? ""
        // Characters are counted only as far as each limit needs: this runs on every request.
        let trimmed = review.trimmingWhitespace()
        let problem: String? =
            if trimmed.isEmpty { "Please write a review." }
            else if trimmed.prefix(settings.minReviewLength).count < settings.minReviewLength { "Please write at least \(settings.minReviewLength) characters." }
            else if review.utf8.count > settings.maxReviewLength && review.count > settings.maxReviewLength { "Please keep the review under \(settings.maxReviewLength) characters." }
            else { nil }
        if let problem {
            return page("form", ["review": review, "problem": problem, "minimum": settings.minReviewLength], status: 400)
        }
        let prediction: Prediction
        do {
            prediction = try service.classify(review)
        } catch {
            return unavailable(error)
        }
        let percent = prediction.probability * 100
        return page("results", [
            "review": review,
            "label": prediction.sentiment == .positive ? "positive" : "negative",
            "probability": Self.format(percent),
            "prediction": prediction.sentiment.rawValue,
            "signature": signer.signature(review: review, prediction: prediction.sentiment),
        ])
    }

    private func thanks(_ form: [String: String]) -> HTTPResponse {
        guard let review = form["review"], let signature = form["signature"],
            let predicted = form["prediction"].flatMap(Int.init).flatMap(Sentiment.init(rawValue:)),
            let button = form["feedback_button"], button == "Correct" || button == "Incorrect"
        else {
            return error(400, "Incomplete feedback", "Give feedback with the Correct or Incorrect button of a results page.")
        }
        guard signer.isValid(signature, review: review, prediction: predicted) else {
            return error(400, "Feedback not accepted", "Feedback is accepted only on a prediction this site made. Submit the review again.")
        }
        let sentiment: Sentiment = button == "Correct" ? predicted : (predicted == .positive ? .negative : .positive)
        do {
            try service.recordFeedback(review: review, sentiment: sentiment)
        } catch {
            return unavailable(error)
        }
        return page("thanks", ["label": sentiment == .positive ? "positive" : "negative"])
    }

    private func methodNotAllowed(allow: String) -> HTTPResponse {
        var response = error(405, "Method not allowed", "This page answers \(allow) requests only.")
        response.headers.append(("Allow", allow))
        return response
    }

    private func unavailable(_ failure: Error) -> HTTPResponse {
        log("\(failure)")
        return error(503, "Temporarily unavailable", "The classifier cannot answer right now. Please try again in a moment.")
    }

    private func error(_ status: Int, _ title: String, _ message: String) -> HTTPResponse {
        page("error", ["status": status, "title": title, "message": message], status: status)
    }

    private func page(_ name: String, _ context: [String: Any], status: Int = 200, cache: String = "no-store") -> HTTPResponse {
        HTTPResponse(status: status, headers: [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", cache),
            ("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ], body: pages.render(name, context))
    }

    /// 93.1234 as "93.12".
    static func format(_ percent: Double) -> String {
        let hundredths = Int((percent * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension String {
    /// The text without leading and trailing whitespace (scalars with White_Space, as Python's
    /// `str.strip` and WTForms' length check see it).
    fileprivate func trimmingWhitespace() -> Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return Substring(scalars[first...last])
    }
}
