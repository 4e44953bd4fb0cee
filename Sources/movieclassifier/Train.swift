import ArgumentParser
import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model from labelled reviews (the book's chapter 8 protocol).",
        discussion: """
            DATA is a CSV with a header naming the columns review and sentiment (0 or 1), \
            quoted as RFC 4180 allows (commas, quotes and line breaks inside quotes): the \
            book's movie_data.csv. It is read as a stream: gzip input (movie_data.csv.gz) \
            directly, or any other compressed form through a pipe, for example \
            `xz -dc data.csv.xz | movieclassifier train --data - --out model.mcm`.

            All rows but the last --test-size are learned in minibatches of --batch-size, in \
            file order; the held-out rows are then scored (the test accuracy) and, as the book \
            does before it pickles its classifier, learned too, unless --hold-out-test.
            """
    )

    @Option(help: ArgumentHelp("The labelled reviews: a CSV file, a .gz of one, or - for standard input.", valueName: "path"))
    var data: String

    @Option(help: ArgumentHelp("Where to write the model (replaced atomically).", valueName: "model"))
    var out: String

    @Option(help: "Reviews per minibatch.")
    var batchSize = 1000

    @Option(help: "How many of the last rows to hold out as the test set (0: none).")
    var testSize = 5000

    @Flag(help: "Keep the test rows out of the saved model (the book learns them after scoring).")
    var holdOutTest = false

    @Flag(help: "Skip and count malformed rows instead of stopping at the first one.")
    var skipMalformed = false

    @Option(help: "Shuffle each minibatch as scikit-learn's SGDClassifier(random_state=N) does (the book: 1).")
    var randomState: UInt32 = 1

    @Flag(help: "Learn each minibatch in file order instead.")
    var noShuffle = false

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1.") }
        guard testSize >= 0 else { throw ValidationError("--test-size cannot be negative.") }
    }

    func run() throws {
        var settings = TrainingSettings()
        settings.batchSize = batchSize
        settings.testSize = testSize
        settings.learnTestRows = !holdOutTest
        settings.shuffle = noShuffle ? .none : .sklearn(randomState: randomState)
        var trainer = BookProtocolTrainer(settings: settings)
        let report: TrainingReport
        do {
            let reader = try LabeledReviewReader(path: data, skipMalformed: skipMalformed)
            let progress = ProgressDisplay(input: reader.input)
            report = try trainer.train(from: reader, progress: progress.update)
            progress.finish()
        } catch {
            throw UserFacingError(error)
        }
        let rate = report.trainingSeconds > 0 ? Double(report.trainingRows) / report.trainingSeconds : 0
        print(
            "trained on \(report.trainingRows.grouped) reviews in \(report.batches) minibatches of up to \(batchSize.grouped): \(report.trainingSeconds.fixed(2)) s, \(Int(rate).grouped) reviews/s"
        )
        if !report.skipped.isEmpty {
            print("skipped \(report.skipped.count.grouped) malformed rows; the first: \(report.skipped[0])")
        }
        if let accuracy = report.testAccuracy {
            print("test accuracy: \(accuracy.fixed(4)) on the last \(report.testRows.grouped) reviews")
            print(holdOutTest ? "the test reviews were kept out of the model" : "then learned the \(report.testRows.grouped) test reviews too")
        }
        do {
            try ModelFile.save(trainer.classifier, to: out)
        } catch {
            throw UserFacingError(error)
        }
        let nonzero = trainer.classifier.regression.nonzeroWeightCount
        print("saved \(out): \(nonzero.grouped) nonzero weights")
    }
}

func writeToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}
