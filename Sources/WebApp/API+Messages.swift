extension API {
    /// `{"instances": ["text", ...]}`: what `:predict` and `:explain` take.
    struct Instances {
        let instances: [String]

        init(_ body: JSONValue) throws(APIProblem) {
            instances = try API.member("instances", of: body, API.strings)
        }
    }

    /// The JSON twin of the feedback form: a prediction as `:predict` gave it (its text, label
    /// and signature) and what the text truly is.
    struct Feedback {
        let text: String
        let label: String
        let signature: String
        let truth: String

        init(_ body: JSONValue) throws(APIProblem) {
            text = try API.member("text", of: body, API.string)
            label = try API.member("label", of: body, API.string)
            signature = try API.member("signature", of: body, API.string)
            truth = try API.member("truth", of: body, API.string)
        }
    }

    /// `GET /v1/models/sentiment`.
    struct ModelDescription: JSONMessage {
        let name: String
        let ready: Bool
        let modelVersion: String
        let variant: String

        func write(to json: inout JSONWriter) {
            json.open()
            json.name("model_version")
            json.string(modelVersion)
            json.comma()
            json.name("name")
            json.string(name)
            json.comma()
            json.name("ready")
            json.bool(ready)
            json.comma()
            json.name("variant")
            json.string(variant)
            json.close()
        }
    }

    /// One text's prediction: the label, its probability, P(positive), and the signature that
    /// feedback on it must carry.
    struct Prediction: JSONMessage {
        let label: String
        let score: Double
        let pPositive: Double
        let signature: String

        func write(to json: inout JSONWriter) throws(JSONWriter.NotANumber) {
            json.open()
            json.name("label")
            json.string(label)
            json.comma()
            json.name("p_positive")
            try json.number(pPositive)
            json.comma()
            json.name("score")
            try json.number(score)
            json.comma()
            json.name("signature")
            json.string(signature)
            json.close()
        }
    }

    struct Predictions: JSONMessage {
        let modelName: String
        let modelVersion: String
        let predictions: [Prediction]

        func write(to json: inout JSONWriter) throws(JSONWriter.NotANumber) {
            json.open()
            json.name("model_name")
            json.string(modelName)
            json.comma()
            json.name("model_version")
            json.string(modelVersion)
            json.comma()
            json.name("predictions")
            try json.array(predictions) { json, prediction throws(JSONWriter.NotANumber) in try prediction.write(to: &json) }
            json.close()
        }
    }

    /// One text's explanation: the bias, the decision (the log-odds of positive: the bias
    /// plus every feature's contribution), the strongest features each way, and every word's
    /// share with its place in the text's UTF-8.
    struct Explanation: JSONMessage {
        struct Feature {
            let feature: String
            let contribution: Double
        }

        struct Word {
            let start: Int
            let end: Int
            let text: String
            let share: Double
        }

        let bias: Double
        let decision: Double
        let features: [Feature]
        let words: [Word]

        func write(to json: inout JSONWriter) throws(JSONWriter.NotANumber) {
            json.open()
            json.name("bias")
            try json.number(bias)
            json.comma()
            json.name("decision")
            try json.number(decision)
            json.comma()
            json.name("features")
            try json.array(features) { json, feature throws(JSONWriter.NotANumber) in
                json.open()
                json.name("contribution")
                try json.number(feature.contribution)
                json.comma()
                json.name("feature")
                json.string(feature.feature)
                json.close()
            }
            json.comma()
            json.name("words")
            try json.array(words) { json, word throws(JSONWriter.NotANumber) in
                json.open()
                json.name("end")
                json.integer(word.end)
                json.comma()
                json.name("share")
                try json.number(word.share)
                json.comma()
                json.name("start")
                json.integer(word.start)
                json.comma()
                json.name("text")
                json.string(word.text)
                json.close()
            }
            json.close()
        }
    }

    struct Explanations: JSONMessage {
        let modelName: String
        let modelVersion: String
        let predictions: [Prediction]
        let explanations: [Explanation]

        func write(to json: inout JSONWriter) throws(JSONWriter.NotANumber) {
            json.open()
            json.name("explanations")
            try json.array(explanations) { json, explanation throws(JSONWriter.NotANumber) in try explanation.write(to: &json) }
            json.comma()
            json.name("model_name")
            json.string(modelName)
            json.comma()
            json.name("model_version")
            json.string(modelVersion)
            json.comma()
            json.name("predictions")
            try json.array(predictions) { json, prediction throws(JSONWriter.NotANumber) in try prediction.write(to: &json) }
            json.close()
        }
    }

    /// What became of a feedback (`counted`, `held`, `repeated`) and the model's version after
    /// learning it.
    struct FeedbackOutcome: JSONMessage {
        let outcome: String
        let modelVersion: String

        func write(to json: inout JSONWriter) {
            json.open()
            json.name("model_version")
            json.string(modelVersion)
            json.comma()
            json.name("outcome")
            json.string(outcome)
            json.close()
        }
    }

    /// RFC 9457's members, and `error`.
    struct Problem: JSONMessage {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let error: String

        func write(to json: inout JSONWriter) {
            json.open()
            json.name("detail")
            json.string(detail)
            json.comma()
            json.name("error")
            json.string(error)
            json.comma()
            json.name("status")
            json.integer(status)
            json.comma()
            json.name("title")
            json.string(title)
            json.comma()
            json.name("type")
            json.string(type)
            json.close()
        }
    }
}
