extension API {
    /// `{"instances": ["text", ...]}`: what `:predict` and `:explain` take.
    struct Instances: Decodable {
        let instances: [String]
    }

    /// The JSON twin of the feedback form: a prediction as `:predict` gave it (its text, label
    /// and signature) and what the text truly is.
    struct Feedback: Decodable {
        let text: String
        let label: String
        let signature: String
        let truth: String
    }

    /// `GET /v1/models/sentiment`.
    struct ModelDescription: Encodable {
        let name: String
        let ready: Bool
        let modelVersion: String
        let variant: String

        enum CodingKeys: String, CodingKey {
            case name, ready, variant
            case modelVersion = "model_version"
        }
    }

    /// One text's prediction: the label, its probability, P(positive), and the signature that
    /// feedback on it must carry.
    struct Prediction: Encodable {
        let label: String
        let score: Double
        let pPositive: Double
        let signature: String

        enum CodingKeys: String, CodingKey {
            case label, score, signature
            case pPositive = "p_positive"
        }
    }

    struct Predictions: Encodable {
        let modelName: String
        let modelVersion: String
        let predictions: [Prediction]

        enum CodingKeys: String, CodingKey {
            case modelName = "model_name"
            case modelVersion = "model_version"
            case predictions
        }
    }

    /// One text's explanation: the bias, the decision (the log-odds of positive: the bias
    /// plus every feature's contribution), the strongest features each way, and every word's
    /// share with its place in the text's UTF-8.
    struct Explanation: Encodable {
        struct Feature: Encodable {
            let feature: String
            let contribution: Double
        }

        struct Word: Encodable {
            let start: Int
            let end: Int
            let text: String
            let share: Double
        }

        let bias: Double
        let decision: Double
        let features: [Feature]
        let words: [Word]
    }

    struct Explanations: Encodable {
        let modelName: String
        let modelVersion: String
        let predictions: [Prediction]
        let explanations: [Explanation]

        enum CodingKeys: String, CodingKey {
            case modelName = "model_name"
            case modelVersion = "model_version"
            case predictions, explanations
        }
    }

    /// What became of a feedback (`counted`, `held`, `repeated`) and the model's version after
    /// learning it.
    struct FeedbackOutcome: Encodable {
        let outcome: String
        let modelVersion: String

        enum CodingKeys: String, CodingKey {
            case outcome
            case modelVersion = "model_version"
        }
    }

    /// RFC 9457's members, and `error`.
    struct Problem: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let error: String
    }
}
