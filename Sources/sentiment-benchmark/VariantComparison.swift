import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel
import Support

/// The two model variants side by side in one run (issue 13): for each, training time and test
/// accuracy on the book's split and on a second, seeded split, then on the book's split the
/// classification latency, the model file and the weights in memory, with the n-gram
/// variant's figures as ratios to the book's.
struct VariantComparison {
    let dataPath: String
    let clock = ContinuousClock()
    static let testSize = 5_000
    static let batchSize = 1_000

    func run() throws {
        var reader = try LabeledReviewReader(path: dataPath)
        var samples: [LabeledSample] = []
        while let review = try reader.next() {
            samples.append(LabeledSample(text: review.text, sentiment: review.label == 1 ? .positive : .negative))
        }
        print("model variants on \(dataPath): \(samples.count) reviews; train on all but the last \(Self.testSize), test on those")
        var shuffled = samples
        var random = SplitMix64(seed: 1)
        random.shuffle(&shuffled)
        var models: [ModelVariant: SentimentClassifier] = [:]
        for (split, rows) in [("book split", samples), ("SplitMix64(seed: 1) split", shuffled)] {
            let training = Array(rows.dropLast(Self.testSize))
            let test = Array(rows.suffix(Self.testSize))
            for variant in ModelVariant.allCases {
                let start = clock.now
                let classifier = train(variant, on: training)
                let trainingSeconds = (clock.now - start).seconds
                let correct = test.filter { (classifier.decision($0.text) > 0) == ($0.sentiment == .positive) }.count
                print(
                    "  \(split), \(variant.rawValue): test accuracy \(format(Double(correct) / Double(test.count), 4)), "
                        + "trained in \(format(trainingSeconds, 2)) s, \(classifier.regression.storedColumnCount) stored columns")
                if split == "book split" { models[variant] = classifier }
            }
        }
        let test = samples.suffix(Self.testSize).map(\.text)
        var medians: [ModelVariant: Double] = [:]
        var checksum = 0.0
        // Interleaved, review by review, so that both see the same machine.
        var latencies: [ModelVariant: [Double]] = [:]
        for _ in 0..<5 {
            for text in test {
                for variant in ModelVariant.allCases {
                    let start = clock.now
                    checksum += models[variant]!.classify(text).probabilityPositive
                    latencies[variant, default: []].append((clock.now - start).seconds)
                }
            }
        }
        for variant in ModelVariant.allCases {
            let sorted = latencies[variant]!.sorted()
            medians[variant] = sorted[sorted.count / 2]
            let modelPath = "/tmp/movieclassifier-variants-\(getpid()).mcm"
            try ModelFile.save(models[variant]!, to: modelPath)
            defer { unlink(modelPath) }
            var info = stat()
            stat(modelPath, &info)
            let loadStart = clock.now
            let loaded = try ModelFile.load(from: modelPath)
            let loadSeconds = (clock.now - loadStart).seconds
            checksum += loaded.regression.intercept
            print(
                "  \(variant.rawValue): classify median \(format(sorted[sorted.count / 2] * 1e6, 2)) µs, p99 \(format(sorted[sorted.count * 99 / 100] * 1e6, 2)) µs; "
                    + "model file \(format(Double(info.st_size) / 1e6, 2)) MB, loads in \(format(loadSeconds * 1e3, 1)) ms, "
                    + "weights in memory \(format(Double(loaded.regression.weightMemoryBytes) / 1e6, 2)) MB")
        }
        print("  classify median, n-gram / book: \(format(medians[.ngram]! / medians[.book]!, 2))x\(checksum.isNaN ? " NaN" : "")")
    }

    func train(_ variant: ModelVariant, on training: [LabeledSample]) -> SentimentClassifier {
        switch variant {
        case .ngram:
            return NGramTrainer().train(training)
        case .book:
            var book = SentimentClassifier()
            var index = 0
            while index < training.count {
                book.partialFit(Array(training[index..<min(index + Self.batchSize, training.count)]))
                index += Self.batchSize
            }
            return book
        }
    }
}
