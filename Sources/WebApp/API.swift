/// The JSON API for other programs: KServe V1 / TF Serving paths (`/v1/models/sentiment:predict`),
/// Hugging Face `label`/`score` items and Open Inference Protocol field names (`model_name`,
/// `model_version`), as `../shared/notes/serving-conventions.md` gathers them; described by
/// `www/openapi.json`.
enum API {
    /// The one model served.
    static let modelName = "sentiment"
    static let modelPath = "/v1/models/sentiment"
    /// Texts in one `:predict` or `:explain` request at most.
    static let maximumBatch = 64
    /// Features towards each side an explanation lists.
    static let featuresPerDirection = 10

    static let jsonHeaders: [(name: String, value: String)] = [
        ("Content-Type", "application/json"), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"),
    ]

    /// `message` as JSON; nil when it holds a number JSON cannot carry (NaN or an infinity: a
    /// model gone wrong).
    static func encode(_ message: some JSONMessage) -> [UInt8]? {
        var json = JSONWriter()
        do {
            try message.write(to: &json)
        } catch {
            return nil
        }
        return json.bytes
    }

    /// The body as JSON, or the problem that tells the client what is wrong with it.
    static func json(_ bytes: [UInt8]) throws(APIProblem) -> JSONValue {
        do {
            return try JSONReader.value(of: bytes)
        } catch {
            throw .invalidBody(detail: "The body is not valid JSON: \(error.message).")
        }
    }

    /// The member `name` of `body`, read by `read`; the problems name what is missing or of
    /// the wrong type, and where.
    static func member<Value>(_ name: String, of body: JSONValue, _ read: (JSONValue, String) throws(APIProblem) -> Value) throws(APIProblem)
        -> Value
    {
        guard case .object = body else { throw .invalidBody(detail: "The body must be an object.") }
        guard let value = body[name] else { throw .invalidBody(detail: "The member \"\(name)\" is missing.") }
        return try read(value, name)
    }

    static func string(_ value: JSONValue, at path: String) throws(APIProblem) -> String {
        guard case .string(let text) = value else { throw .invalidBody(detail: "\(path) must be a string.") }
        return text
    }

    static func strings(_ value: JSONValue, at path: String) throws(APIProblem) -> [String] {
        guard case .array(let elements) = value else { throw .invalidBody(detail: "\(path) must be a list.") }
        var texts: [String] = []
        texts.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() { texts.append(try string(element, at: "\(path)[\(index)]")) }
        return texts
    }
}
