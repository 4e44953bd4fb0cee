import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel
import Support

/// Measures the model on the book's data set: training, accuracy, classification latency and
/// throughput, model loading, file size, peak memory. Build with `-c release`; see
/// scripts/benchmark-model.sh.
struct Benchmark {
    let dataPath: String
    let clock = ContinuousClock()

    func run() throws {
        print("movieclassifier model benchmark: \(dataPath)")

        let readStart = clock.now
        var reader = try LabeledReviewReader(path: dataPath)
        var reviews: [LabeledReview] = []
        while let review = try reader.next() { reviews.append(review) }
        let readSeconds = seconds(since: readStart)
        print(row("read + gunzip + parse CSV", "\(reviews.count) rows", "\(format(readSeconds, 3)) s"))

        let streamed = try LabeledReviewReader(path: dataPath)
        var settings = TrainingSettings()
        settings.learnTestRows = false
        var trainer = BookProtocolTrainer(settings: settings)
        let report = try trainer.train(from: streamed)
        print(
            row(
                "train, streamed from .gz (2 threads)", "\(report.trainingRows) reviews", "\(format(report.trainingSeconds, 3)) s",
                "\(Int(Double(report.trainingRows) / report.trainingSeconds)) reviews/s"))
        print(row("test accuracy (last 5,000)", format(report.testAccuracy ?? 0, 4), "scikit-learn: 0.8682", ""))

        let training = reviews.dropLast(settings.testSize).map { LabeledSample(text: $0.text, sentiment: $0.label == 1 ? .positive : .negative) }
        let learnStart = clock.now
        var inMemory = SentimentClassifier()
        var index = 0
        while index < training.count {
            inMemory.partialFit(Array(training[index..<min(index + settings.batchSize, training.count)]))
            index += settings.batchSize
        }
        let learnSeconds = seconds(since: learnStart)
        print(
            row(
                "train, in memory (vectorize + SGD)", "\(training.count) reviews", "\(format(learnSeconds, 3)) s",
                "\(Int(Double(training.count) / learnSeconds)) reviews/s"))

        let classifier = trainer.classifier
        let test = reviews.suffix(settings.testSize).map(\.text)
        var latencies: [Double] = []
        latencies.reserveCapacity(test.count * 5)
        var checksum = 0.0
        for _ in 0..<5 {
            for text in test {
                let start = clock.now
                checksum += classifier.classify(text).probabilityPositive
                latencies.append(seconds(since: start))
            }
        }
        latencies.sort()
        let median = latencies[latencies.count / 2]
        let p99 = latencies[latencies.count * 99 / 100]
        let averageLength = test.reduce(0) { $0 + $1.utf8.count } / test.count
        print(
            row(
                "classify latency, in process", "median \(format(median * 1e6, 2)) µs", "p99 \(format(p99 * 1e6, 2)) µs",
                "mean review \(averageLength) bytes"))

        let rounds = 20
        let throughputStart = clock.now
        for _ in 0..<rounds {
            for text in test { checksum += classifier.classify(text).probabilityPositive }
        }
        let throughputSeconds = seconds(since: throughputStart)
        print(row("classify throughput, 1 thread", "\(Int(Double(rounds * test.count) / throughputSeconds)) reviews/s", "", ""))

        let modelPath = "/tmp/movieclassifier-benchmark-\(getpid()).mcm"
        try ModelFile.save(classifier, to: modelPath)
        defer { unlink(modelPath) }
        var info = stat()
        stat(modelPath, &info)
        var loadTimes: [Double] = []
        for _ in 0..<20 {
            let start = clock.now
            let loaded = try ModelFile.load(from: modelPath)
            loadTimes.append(seconds(since: start))
            checksum += loaded.regression.intercept
        }
        loadTimes.sort()
        print(row("model load", "median \(format(loadTimes[10] * 1e3, 2)) ms", "", ""))
        print(
            row("model file size", "\(format(Double(info.st_size) / 1e6, 2)) MB", "\(classifier.regression.nonzeroWeightCount) nonzero weights", ""))
        print(row("weights in memory", "\(format(Double(classifier.regression.weightMemoryBytes) / 1e6, 2)) MB", "", ""))

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(row("peak RSS (whole benchmark)", "\(usage.ru_maxrss / 1024) MiB", "", ""))
        if checksum.isNaN { print("unexpected NaN") }
    }

    func seconds(since start: ContinuousClock.Instant) -> Double {
        (clock.now - start).seconds
    }

    func row(_ columns: String...) -> String {
        let widths = [38, 22, 22, 24]
        return zip(columns, widths).map { $0.padding(to: $1) }.joined().trimmingSpaces()
    }
}
