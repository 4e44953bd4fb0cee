import SentimentModel

extension WebApplication {
    /// The answer to a request of the JSON API or a health check, nil for any other path.
    func respondToAPI(_ request: HTTPRequest) -> HTTPResponse? {
        let operation: (HTTPRequest) throws(APIProblem) -> HTTPResponse
        switch request.path {
        case API.modelPath: operation = describeModel
        case API.modelPath + ":predict": operation = predict
        case API.modelPath + ":explain": operation = explain
        case API.modelPath + ":feedback": operation = feedback
        case "/livez": operation = live
        case "/readyz": operation = ready
        case "/openapi.json": operation = describeAPI
        default:
            guard request.path.hasPrefix("/v1/") else { return nil }
            operation = { _ throws(APIProblem) in throw .notFound }
        }
        do {
            return try operation(request)
        } catch {
            return problem(error)
        }
    }

    private func describeModel(_ request: HTTPRequest) throws(APIProblem) -> HTTPResponse {
        try expect(request, method: "GET")
        let version = try available { () throws in try service.modelVersion() }
        return try json(API.ModelDescription(name: API.modelName, ready: true, modelVersion: version, variant: service.modelVariant))
    }

    private func predict(_ request: HTTPRequest) throws(APIProblem) -> HTTPResponse {
        let texts = try instances(of: request)
        let predictions = try texts.map { text throws(APIProblem) in
            prediction(try available { () throws in try service.classify(text) }, of: text)
        }
        return try json(API.Predictions(modelName: API.modelName, modelVersion: try version(), predictions: predictions))
    }

    private func explain(_ request: HTTPRequest) throws(APIProblem) -> HTTPResponse {
        let texts = try instances(of: request)
        var predictions: [API.Prediction] = []
        var explanations: [API.Explanation] = []
        for text in texts {
            let (prediction, explanation) = try available { () throws in try service.explain(text, strongest: API.featuresPerDirection) }
            predictions.append(self.prediction(prediction, of: text))
            let utf8 = Array(text.utf8)
            explanations.append(
                API.Explanation(
                    bias: explanation.bias, decision: explanation.decision,
                    features: explanation.contributions.map { API.Explanation.Feature(feature: $0.token, contribution: $0.contribution) },
                    words: explanation.words.map {
                        API.Explanation.Word(
                            start: $0.range.lowerBound, end: $0.range.upperBound, text: String(decoding: utf8[$0.range], as: UTF8.self),
                            share: $0.contribution)
                    }))
        }
        return try json(
            API.Explanations(modelName: API.modelName, modelVersion: try version(), predictions: predictions, explanations: explanations))
    }

    private func feedback(_ request: HTTPRequest) throws(APIProblem) -> HTTPResponse {
        try expect(request, method: "POST")
        let body = try API.Feedback(API.json(try jsonBody(of: request)))
        guard let label = Self.sentiment(named: body.label) else { throw .invalidBody(detail: "label must be \"negative\" or \"positive\".") }
        guard let truth = Self.sentiment(named: body.truth) else { throw .invalidBody(detail: "truth must be \"negative\" or \"positive\".") }
        let text = try validText(body.text, at: "text")
        guard signer.isValid(body.signature, review: text, prediction: label) else { throw .forgedFeedback }
        let receipt: FeedbackReceipt
        do {
            receipt = try service.recordFeedback(review: text, sentiment: truth, client: signer.clientID(address: request.remoteAddress))
        } catch {
            log("cannot record feedback: \(error)")
            throw .feedbackNotSaved
        }
        usage?.receivedFeedback(receipt)
        if receipt == .refused { throw .tooMuchFeedback }
        return try json(API.FeedbackOutcome(outcome: receipt.rawValue, modelVersion: try version()))
    }

    private func live(_ request: HTTPRequest) throws(APIProblem) -> HTTPResponse {
        try expect(request, method: "GET")
        return HTTPResponse(status: 200, headers: Self.textHeaders, body: Array("ok\n".utf8))
    }

    private func ready(_ request: HTTPRequest) throws(APIProblem) -> HTTPResponse {
        try expect(request, method: "GET")
        switch service.readiness() {
        case .ready:
            return HTTPResponse(status: 200, headers: Self.textHeaders, body: Array("ok\n".utf8))
        case .degraded(let reason):
            log("degraded: \(reason)")
            return HTTPResponse(status: 200, headers: Self.textHeaders, body: Array("degraded: \(reason)\n".utf8))
        case .unready(let reason):
            log("not ready: \(reason)")
            return HTTPResponse(status: 503, headers: Self.textHeaders + [("Retry-After", "5")], body: Array("not ready: \(reason)\n".utf8))
        }
    }

    private func describeAPI(_ request: HTTPRequest) throws(APIProblem) -> HTTPResponse {
        try expect(request, method: "GET")
        guard let openAPIDocument else { throw .notFound }
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-cache")], body: openAPIDocument)
    }

    // MARK: Pieces

    private static let textHeaders: [(name: String, value: String)] = [
        ("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store"),
    ]

    /// 405 with `Allow` for any other method (`HEAD` answers as `GET` for a `GET` resource).
    private func expect(_ request: HTTPRequest, method: String) throws(APIProblem) {
        guard request.method == method || (method == "GET" && request.method == "HEAD") else {
            throw .methodNotAllowed(allow: method == "GET" ? "GET, HEAD" : method)
        }
    }

    /// A POST's JSON body: 405, 413 and 415 decided here, in that order, before it is parsed.
    private func jsonBody(of request: HTTPRequest) throws(APIProblem) -> [UInt8] {
        guard request.body.count <= settings.maxBodyBytes else { throw .bodyTooLarge(limit: settings.maxBodyBytes) }
        guard MediaType.isJSON(request.headers["content-type"]) else { throw .unsupportedMediaType }
        return request.body
    }

    /// The texts of a `:predict` or `:explain` request, each checked as the form checks a review.
    private func instances(of request: HTTPRequest) throws(APIProblem) -> [String] {
        try expect(request, method: "POST")
        let texts = try API.Instances(API.json(try jsonBody(of: request))).instances
        guard (1...API.maximumBatch).contains(texts.count) else {
            throw .invalidBody(detail: "instances must hold 1 to \(API.maximumBatch) texts; it holds \(texts.count).")
        }
        return try texts.enumerated().map { index, text throws(APIProblem) in try validText(text, at: "instances[\(index)]") }
    }

    /// `text` with its line breaks as `\n` (as the form takes a review, so that a signature
    /// made by either checks in the other), or why it is refused: the API's rules are its
    /// schema's (1 to `maxReviewLength` code points, no U+0000, which the database would cut
    /// the text at), not the form's minimum, which serves a visitor.
    private func validText(_ text: String, at member: String) throws(APIProblem) -> String {
        // A text has no more code points than UTF-8 bytes: they are counted only past the limit.
        let bytes = text.utf8.count
        guard bytes >= 1 && (bytes <= settings.maxReviewLength || text.unicodeScalars.count <= settings.maxReviewLength) else {
            throw .invalidBody(
                detail: "\(member) must hold 1 to \(settings.maxReviewLength) characters; it holds \(text.unicodeScalars.count).")
        }
        guard !text.containsByte(0) else { throw .invalidBody(detail: "\(member) holds U+0000, which is not taken.") }
        return Review.canonical(text)
    }

    private func prediction(_ prediction: Prediction, of text: String) -> API.Prediction {
        usage?.predicted(prediction.sentiment)
        return API.Prediction(
            label: Self.label(prediction.sentiment), score: prediction.probability, pPositive: prediction.probabilityPositive,
            signature: signer.signature(review: text, prediction: prediction.sentiment))
    }

    private func version() throws(APIProblem) -> String {
        try available { () throws in try service.modelVersion() }
    }

    /// `body`'s result; a failing model or database is a 503.
    private func available<Result>(_ body: () throws -> Result) throws(APIProblem) -> Result {
        do {
            return try body()
        } catch {
            log("the service failed: \(error)")
            throw .unavailable
        }
    }

    /// A 200 with `value`; a model whose numbers JSON cannot carry is a 503, as for the page.
    private func json(_ value: some JSONMessage) throws(APIProblem) -> HTTPResponse {
        guard let body = API.encode(value) else {
            log("the model gave a number JSON cannot carry (NaN or an infinity)")
            throw .unavailable
        }
        return HTTPResponse(status: 200, headers: API.jsonHeaders, body: body)
    }

    private func problem(_ problem: APIProblem) -> HTTPResponse {
        let body = API.Problem(type: "about:blank", title: problem.title, status: problem.status, detail: problem.detail, error: problem.detail)
        return HTTPResponse(
            status: problem.status,
            headers: [("Content-Type", "application/problem+json"), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
                + problem.headers,
            // A problem's members are strings and an integer, which always encode.
            body: API.encode(body) ?? [])
    }

    private static func sentiment(named name: String) -> Sentiment? {
        switch name {
        case "positive": .positive
        case "negative": .negative
        default: nil
        }
    }
}
