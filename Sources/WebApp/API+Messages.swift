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
    }

    /// One text's prediction: the label, its probability, P(positive), and the signature that
    /// feedback on it must carry.
    struct Prediction: Encodable {
        let label: String
        let score: Double
        let pPositive: Double
        let signature: String
    }

    struct Predictions: Encodable {
        let modelName: String
        let modelVersion: String
        let predictions: [Prediction]
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
    }

    /// What became of a feedback (`counted`, `held`, `repeated`) and the model's version after
    /// learning it.
    struct FeedbackOutcome: Encodable {
        let outcome: String
        let modelVersion: String
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
