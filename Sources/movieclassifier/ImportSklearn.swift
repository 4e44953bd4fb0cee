import ArgumentParser
import SentimentModel
import Support

struct ImportSklearn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-sklearn",
        abstract: "Convert a scikit-learn model (the book's classifier.pkl) into a model file.",
        discussion: """
            The pickle itself is never read (unpickling can run code). In Python, where the \
            pickle loads, save the two arrays:

                numpy.save('coef.npy', clf.coef_)
                numpy.save('intercept.npy', clf.intercept_)

            then run this command. The model must come from the book's pipeline \
            (HashingVectorizer with the book's tokenizer and stop words, SGDClassifier with \
            loss='log_loss'): its probabilities are then reproduced to 1e-9.
            """
    )

    @Option(help: ArgumentHelp("clf.coef_ saved by numpy.save: float64, shape (1, n_features).", valueName: "coef.npy"))
    var coef: String

    @Option(help: ArgumentHelp("clf.intercept_ saved by numpy.save: float64, shape (1,).", valueName: "intercept.npy"))
    var intercept: String

    @Option(help: ArgumentHelp("Where to write the model.", valueName: "model"))
    var out: String

    @Option(help: "Samples the scikit-learn model has learned (clf.t_ - 1); sets the learning rate for feedback. The book's model: 50000.")
    var samplesSeen: UInt64 = 50_000

    func run() throws {
        do {
            let classifier = try SklearnImport.classifier(coefPath: coef, interceptPath: intercept, samplesSeen: samplesSeen)
            try ModelFile.save(classifier, to: out)
            let nonzero = classifier.regression.nonzeroWeightCount
            print(
                "saved \(out): \(classifier.vectorizer.featureCount.grouped) features, \(nonzero.grouped) nonzero weights, intercept \(classifier.regression.intercept)"
            )
        } catch let error as SklearnImport.Error {
            throw UserFacingError(error)
        } catch let error as ModelFileError {
            throw UserFacingError(error)
        }
    }
}
