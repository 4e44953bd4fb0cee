import ArgumentParser
import SentimentModel

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify reviews with a model.",
        discussion: """
            With TEXT arguments, prints one readable line per text. Without, reads standard \
            input, one review per line, and prints one JSON object per line: \
            {"label": "positive", "probability": 0.93, "p_positive": 0.93}, where probability \
            is that of the predicted label, as the book shows it.
            """
    )

    @Option(help: ArgumentHelp("The model file.", valueName: "model"))
    var model: String

    @Argument(help: "Reviews to classify; none: read standard input.")
    var texts: [String] = []

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
            }
            return
        }
        while let line = readLine(strippingNewline: true) {
            let prediction = classifier.classify(line)
            let label = JSONText.string(classifier.name(of: prediction.sentiment))
            print("{\"label\": \(label), \"probability\": \(prediction.probability), \"p_positive\": \(prediction.probabilityPositive)}")
        }
    }
}
