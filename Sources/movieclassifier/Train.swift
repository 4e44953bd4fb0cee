import ArgumentParser
import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel
import Support

extension ModelVariant: ExpressibleByArgument {}

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model from labelled reviews: the n-gram variant, or the book's (chapter 8's protocol).",
        discussion: """
            DATA is a CSV with a header naming the columns review and sentiment (0 or 1), \
            quoted as RFC 4180 allows (commas, quotes and line breaks inside quotes): the \
            book's movie_data.csv. It is read as a stream: gzip input (movie_data.csv.gz) \
            directly, or any other compressed form through a pipe, for example \
            `xz -dc data.csv.xz | movieclassifier train --data - --out model.mcm`.

            The n-gram variant (the default, --variant ngram) trains on all rows but the last \
            --test-size, scores those (the test accuracy), then, unless --hold-out-test, trains \
            again on every row. The book's variant (--variant book) learns all rows but the last \
            --test-size in minibatches of --batch-size, in file order; the held-out rows are then \
            scored and, as the book does before it pickles its classifier, learned too, unless \
            --hold-out-test. Both are deterministic: the same data give the same bytes.
            """
    )

    @Option(help: ArgumentHelp("The labelled reviews: a CSV file, a .gz of one, or - for standard input.", valueName: "path"))
    var data: String

    @Option(help: ArgumentHelp("Where to write the model (replaced atomically).", valueName: "model"))
    var out: String

    @Option(help: "The kind of model: ngram (unigrams and bigrams, Naive Bayes scaled, averaged SGD) or book.")
    var variant: ModelVariant = .ngram

    @Option(help: "Reviews per minibatch (--variant book; default 1000).")
    var batchSize: Int?

    @Option(help: "How many of the last rows to hold out as the test set (0: none).")
    var testSize = 5000

    @Flag(help: "Keep the test rows out of the saved model (the book learns them after scoring).")
    var holdOutTest = false

    @Flag(help: "Skip and count malformed rows instead of stopping at the first one.")
    var skipMalformed = false

    @Option(help: "Shuffle each minibatch as scikit-learn's SGDClassifier(random_state=N) does (--variant book; the book: 1).")
    var randomState: UInt32?

    @Flag(help: "Learn each minibatch in file order instead (--variant book).")
    var noShuffle = false

    func validate() throws {
        if variant != .book && (batchSize != nil || randomState != nil || noShuffle) {
            throw ValidationError("--batch-size, --random-state and --no-shuffle apply to --variant book only.")
        }
        guard batchSize ?? 1 > 0 else { throw ValidationError("--batch-size must be at least 1.") }
        guard testSize >= 0 else { throw ValidationError("--test-size cannot be negative.") }
    }

    func run() throws {
        switch variant {
        case .book: try trainBook()
        case .ngram: try trainNGrams()
        }
    }

    private func trainNGrams() throws {
        var samples: [LabeledSample] = []
        do {
            var reader = try LabeledReviewReader(path: data, skipMalformed: skipMalformed)
            while let review = try reader.next() {
                samples.append(LabeledSample(text: review.text, sentiment: review.label == 1 ? .positive : .negative))
            }
            if !reader.skipped.isEmpty {
                print("skipped \(reader.skipped.count.grouped) malformed rows; the first: \(reader.skipped[0])")
            }
        } catch {
            throw UserFacingError(error)
        }
        let trainer = NGramTrainer()
        let clock = ContinuousClock()
        let heldOut = min(testSize, samples.count)
        let training = Array(samples.dropLast(heldOut))
        let start = clock.now
        var classifier = trainer.train(training)
        print("trained on \(training.count.grouped) reviews, \(trainer.epochs) epochs: \((clock.now - start).seconds.fixed(2)) s")
        if heldOut > 0 {
            let test = samples.suffix(heldOut)
            let correct = test.filter { classifier.classify($0.text).sentiment == $0.sentiment }.count
            print("test accuracy: \((Double(correct) / Double(heldOut)).fixed(4)) on the last \(heldOut.grouped) reviews")
            if holdOutTest || heldOut == samples.count {
                print("the test reviews were kept out of the model")
            } else {
                let again = clock.now
                classifier = trainer.train(samples)
                print("then trained again on all \(samples.count.grouped) reviews: \((clock.now - again).seconds.fixed(2)) s")
            }
        }
        do {
            try ModelFile.save(classifier, to: out)
        } catch {
            throw UserFacingError(error)
        }
        print("saved \(out): n-gram variant, \(classifier.regression.storedColumnCount.grouped) columns with a feature scale and a weight")
    }

    private func trainBook() throws {
        var settings = TrainingSettings()
        settings.batchSize = batchSize ?? settings.batchSize
        settings.testSize = testSize
        settings.learnTestRows = !holdOutTest
        settings.shuffle = noShuffle ? .none : .sklearn(randomState: randomState ?? 1)
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
            "trained on \(report.trainingRows.grouped) reviews in \(report.batches) minibatches of up to \(settings.batchSize.grouped): \(report.trainingSeconds.fixed(2)) s, \(Int(rate).grouped) reviews/s"
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
