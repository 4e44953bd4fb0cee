import SentimentModel

/// The web application of the book's chapter 9: the review form, the prediction with Correct /
/// Incorrect feedback, the thank-you page. A request value in, a response value out, so it is
/// tested without a server and served by any adapter.
///
/// Bad input is answered with a 4xx page, a failing model or database with 503; nothing a
/// visitor sends makes it crash or answer 500. One instance per worker, used by one thread.
public final class WebApplication {
    public let settings: WebSettings
    let service: any SentimentService
    private let templates: Templates
    let signer: FormSigner
    let log: (String) -> Void
    /// `www/openapi.json`, served at `/openapi.json`; nil when the server was given none.
    let openAPIDocument: [UInt8]?
    /// The private routes' content; nil when they are off.
    let operatorViews: (any OperatorViews)?
    /// Told of each prediction and feedback, for the pool's counters.
    let usage: (any UsageCounter)?
    /// The pages that do not depend on the request, rendered once: the empty form, the error
    /// pages, the thank-you page of each label. Most of the cost of a page is the template
    /// library's, and these are the answers to anyone hammering the server.
    private var rendered: [ConstantPage: [UInt8]] = [:]
    /// The results page of each prediction, without and with the legend of the marked words,
    /// cut where the review, the percentage, the signature and what pushed the prediction go
    /// (`ResultsSlot`): the one page rendered per request, at the cost of copying. Each is made
    /// when first needed (a CGI process, which answers one request, makes one of the four).
    private var resultsPages: [PageSkeleton?] = [nil, nil, nil, nil]

    /// Reads and compiles the templates of `templates` (`www/templates`) once, here.
    ///
    /// - Parameters:
    ///   - openAPIDocument: The API's description (`www/openapi.json`), served as it is.
    ///   - operatorViews: What `/status`, `/metrics` and `/admin/` show; nil turns them off.
    ///   - usage: Counts predictions and feedback for `/metrics`.
    ///   - log: Told why the service failed whenever a 503 is answered (the error's own
    ///     description, never the review); the FastCGI adapter writes it to standard error.
    public init(
        service: any SentimentService,
        templates: String,
        signer: FormSigner,
        settings: WebSettings = WebSettings(),
        openAPIDocument: [UInt8]? = nil,
        operatorViews: (any OperatorViews)? = nil,
        usage: (any UsageCounter)? = nil,
        log: @escaping (String) -> Void = { _ in }
    ) throws(TemplateError) {
        self.service = service
        self.openAPIDocument = openAPIDocument
        self.operatorViews = operatorViews
        self.usage = usage
        let templates = try Templates(folder: templates)
        self.templates = templates
        self.signer = signer
        self.settings = settings
        self.log = log
    }

    /// The answer to `request`. For `HEAD` it is the `GET` answer, body included: the adapter
    /// announces the body's length and leaves the body out, as HTTP asks.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        do {
            return try route(request)
        } catch {
            return errorPage(error)
        }
    }

    private func route(_ request: HTTPRequest) throws(ErrorPage) -> HTTPResponse {
        if let response = respondToAPI(request) { return response }
        if Self.operatorPaths.contains(request.path) { return try respondToOperator(request) }
        switch request.path {
        case "/":
            guard request.method == "GET" || request.method == "HEAD" else { throw .methodNotAllowed(allow: "GET, HEAD") }
            return HTTPResponse(status: 200, headers: PageHeaders.revalidated, body: constant(.emptyForm))
        case "/results":
            guard request.method == "POST" else { throw .methodNotAllowed(allow: "POST") }
            return try results(fields(of: request))
        case "/thanks":
            guard request.method == "POST" else { throw .methodNotAllowed(allow: "POST") }
            return try thanks(fields(of: request), from: request.remoteAddress)
        default:
            throw .notFound
        }
    }

    /// The form fields of a POST: 413, 415 and 400 are decided here, in that order, before
    /// any field is looked at. An adapter reads at most `maxBodyBytes + 1` bytes of a body.
    private func fields(of request: HTTPRequest) throws(ErrorPage) -> [String: String] {
        guard request.body.count <= settings.maxBodyBytes else { throw .bodyTooLarge(limit: settings.maxBodyBytes) }
        guard MediaType.isFormURLEncoded(request.headers["content-type"]) else { throw .unsupportedMediaType }
        do {
            return try FormDecoding.fields(of: request.body)
        } catch {
            throw .malformedForm
        }
    }

    private func results(_ fields: [String: String]) throws(ErrorPage) -> HTTPResponse {
        let review = Review.canonical(fields["review"] ?? "")
        if let problem = ReviewProblem(review, settings: settings) {
            var context = formContext
            context["pageTitle"] = "Check the review"
            context["review"] = review
            context["problem"] = problem.message
            return page(.form, context, status: 400)
        }
        let prediction: Prediction
        let explanation: Explanation
        do {
            (prediction, explanation) = try service.explain(review, strongest: ResultsExplanation.featuresPerDirection)
        } catch {
            throw unavailable("cannot classify a review: \(error)")
        }
        guard let percent = Percent(prediction.probability) else {
            throw unavailable("the model gave the probability \(prediction.probability)")
        }
        usage?.predicted(prediction.sentiment)
        let signature = signer.signature(review: review, prediction: prediction.sentiment)
        let shown = ResultsExplanation(review: review, explanation: explanation)
        let body = resultsPage(prediction.sentiment, hasMarks: shown.hasMarks).render([
            HTMLFragment(escaping: review), shown.markedReview, HTMLFragment(escaping: percent.text), HTMLFragment(escaping: signature),
            shown.pushedPositive, shown.pushedNegative,
        ])
        return HTTPResponse(status: 200, headers: PageHeaders.private, body: body)
    }

    /// The skeleton of the results page of `sentiment`, with or without the legend.
    private func resultsPage(_ sentiment: Sentiment, hasMarks: Bool) -> PageSkeleton {
        let index = sentiment.rawValue * 2 + (hasMarks ? 1 : 0)
        if let page = resultsPages[index] { return page }
        let label = Self.label(sentiment)
        let page = templates.skeleton(
            .results, ["pageTitle": "Prediction: \(label)", "label": label, "prediction": sentiment.rawValue, "hasMarks": hasMarks],
            slots: ResultsSlot.names)
        resultsPages[index] = page
        return page
    }

    private func thanks(_ fields: [String: String], from address: String) throws(ErrorPage) -> HTTPResponse {
        guard let feedback = FeedbackForm(fields) else { throw .incompleteFeedback }
        guard signer.isValid(feedback.signature, review: feedback.review, prediction: feedback.prediction) else {
            throw .forgedFeedback
        }
        let receipt: FeedbackReceipt
        do {
            receipt = try service.recordFeedback(
                review: feedback.review, sentiment: feedback.sentiment, client: signer.clientID(address: address))
        } catch {
            log("cannot record feedback: \(error)")
            throw .feedbackNotSaved
        }
        usage?.receivedFeedback(receipt)
        if receipt == .refused { throw .tooMuchFeedback }
        return HTTPResponse(status: 200, headers: PageHeaders.private, body: constant(.thanks(feedback.sentiment)))
    }

    private func unavailable(_ reason: String) -> ErrorPage {
        log(reason)
        return .unavailable
    }

    private func errorPage(_ error: ErrorPage) -> HTTPResponse {
        var response = HTTPResponse(status: error.status, headers: PageHeaders.private, body: constant(.error(error)))
        if case .methodNotAllowed(let allow) = error { response.headers.append(("Allow", allow)) }
        if error == .tooMuchFeedback { response.headers.append(("Retry-After", "3600")) }
        return response
    }

    private func page(_ page: Page, _ context: [String: Any], status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: PageHeaders.private, body: templates.render(page, context))
    }

    /// What the form shows whatever was sent.
    private var formContext: [String: Any] {
        ["review": "", "minimum": settings.minReviewLength, "maximum": settings.maxReviewLength]
    }

    /// The body of `page`, rendered on first use.
    private func constant(_ page: ConstantPage) -> [UInt8] {
        if let body = rendered[page] { return body }
        let body =
            switch page {
            case .emptyForm:
                templates.render(.form, formContext)
            case .thanks(let sentiment):
                templates.render(.thanks, ["pageTitle": "Thank you", "label": Self.label(sentiment)])
            case .error(let error):
                templates.render(.error, ["pageTitle": error.title, "title": error.title, "status": error.status, "message": error.message])
            }
        rendered[page] = body
        return body
    }

    /// `positive` or `negative`: what the pages and the API call a sentiment.
    static func label(_ sentiment: Sentiment) -> String {
        sentiment == .positive ? "positive" : "negative"
    }
}
