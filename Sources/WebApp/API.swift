import Foundation

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

    /// `value` as JSON, its members sorted (the encoder's own order follows a hashed dictionary,
    /// which differs from process to process), so that two workers answer byte for byte alike;
    /// the wire names are the types' `CodingKeys`, at half the cost of converting each key's
    /// case. Nil when it holds a number JSON cannot carry (NaN or an infinity: a model gone wrong).
    static func encode(_ value: some Encodable) -> [UInt8]? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map(Array.init)
    }

    /// The body as `Body`, or the problem that tells the client what is wrong with it.
    static func decode<Body: Decodable>(_ type: Body.Type, from bytes: [UInt8]) throws(APIProblem) -> Body {
        let decoder = JSONDecoder()
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw .invalidBody(detail: describe(error))
        } catch {
            throw .invalidBody(detail: "The body is not valid JSON.")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return names.isEmpty ? "the body" : String(names.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            let member = key.stringValue
            return context.codingPath.isEmpty ? "The member \"\(member)\" is missing." : "\(path(context)): the member \"\(member)\" is missing."
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let name = "\(type)"
            let expected =
                type == String.self ? "a string" : name.hasPrefix("Array") ? "a list" : name.hasPrefix("Dictionary") ? "an object" : "another type"
            let subject = path(context)
            return "\(subject == "the body" ? "The body" : subject) must be \(expected)."
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "The body is not valid JSON." : "\(path(context)) is not valid."
        @unknown default:
            return "The body is not the JSON this operation takes."
        }
    }
}
