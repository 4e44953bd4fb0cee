import ArgumentParser
import SentimentModel
import Support

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify reviews with a model.",
        discussion: """
            With TEXT arguments, prints one readable line per text. Without, reads standard \
            input, one review per line, and prints one JSON object per line: \
            {"label": "positive", "probability": 0.93, "p_positive": 0.93}, where probability \
            is that of the predicted label, as the book shows it. With --explain, each text's \
            words that decided, each with what it added to the decision (the log-odds of \
            positive; positive pushes towards positive), the strongest first, and the bias: \
            they add up to the decision exactly.
            """
    )

    @Option(help: ArgumentHelp("The model file.", valueName: "model"))
    var model: String

    @Argument(help: "Reviews to classify; none: read standard input.")
    var texts: [String] = []

    @Flag(help: "Also show the words that decided, with their contributions, and the bias.")
    var explain = false

    @Option(help: "Threads classifying standard input; the output keeps the input's order.")
    var jobs = 1

    func validate() throws {
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 256.") }
    }

    /// Lines of the readable explanation shown per text.
    static let explainedWords = 10

    func run() throws {
        let classifier: SentimentClassifier
        do {
            classifier = try ModelFile.load(from: model)
        } catch {
            throw UserFacingError(error)
        }
        if !texts.isEmpty {
            for text in texts {
                let prediction = classifier.classify(text)
                print("\(classifier.name(of: prediction.sentiment)) \((prediction.probability * 100).fixed(1))%: \(text)")
                guard explain else { continue }
                let explanation = classifier.explain(text)
                for word in explanation.contributions.prefix(Self.explainedWords) {
                    print("  \(word.contribution >= 0 ? "+" : "")\(word.contribution.fixed(3)) \(word.token)")
                }
                if explanation.contributions.count > Self.explainedWords {
                    print("  (\(explanation.contributions.count - Self.explainedWords) more features, each adding less)")
                }
                print("  \(explanation.bias >= 0 ? "+" : "")\(explanation.bias.fixed(3)) (bias)")
            }
            return
        }
        do {
            try classifyStandardInput(with: classifier)
        } catch {
            throw UserFacingError(error)
        }
    }

    /// The JSON line of one review.
    func record(_ line: String, classifier: SentimentClassifier) -> String {
        let prediction = classifier.classify(line)
        let label = JSONString.quoted(classifier.name(of: prediction.sentiment))
        var object = "{\"label\": \(label), \"probability\": \(prediction.probability), \"p_positive\": \(prediction.probabilityPositive)"
        if explain {
            let explanation = classifier.explain(line)
            let words = explanation.contributions.map { "{\"token\": \(JSONString.quoted($0.token)), \"contribution\": \($0.contribution)}" }
            object += ", \"bias\": \(explanation.bias), \"contributions\": [\(words.joined(separator: ", "))]"
        }
        return object + "}\n"
    }
}
