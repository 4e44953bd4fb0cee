import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel

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
        let duration = clock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    func row(_ columns: String...) -> String {
        let widths = [38, 22, 22, 24]
        return zip(columns, widths).map { $0.padding(to: $1) }.joined().trimmingSpaces()
    }
}

/// `value` with exactly `digits` decimals.
func format(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    func trimmingSpaces() -> String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}

/// What a worker costs in memory once it has loaded a model, before its first request. Runs in
/// a process of its own (`--resident`), so that the benchmark's data set does not count.
struct ResidentCheck {
    let modelPath: String

    func run() throws {
        let before = try Self.residentKiB()
        let clock = ContinuousClock()
        let start = clock.now
        let classifier = try ModelFile.load(from: modelPath)
        let loading = clock.now - start
        let after = try Self.residentKiB()
        let probability = classifier.classify("An instant classic, moving and funny.").probabilityPositive
        let milliseconds = Double(loading.components.seconds) * 1e3 + Double(loading.components.attoseconds) * 1e-15
        print("a fresh process loading \(modelPath): \(format(milliseconds, 2)) ms (first load, page faults included)")
        print(
            "  RSS after loading: \(after) KiB, of which the model \(after - before) KiB (weights: \(classifier.regression.weightMemoryBytes / 1024) KiB)"
        )
        print("  P(positive) of a probe review: \(probability)")
    }

    /// `VmRSS` from /proc/self/status, in KiB.
    static func residentKiB() throws -> Int {
        guard let file = fopen("/proc/self/status", "r") else { throw ResidentCheckError.noProcStatus }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmRSS:"), let kib = Int(text.dropFirst(6).filter(\.isNumber)) { return kib }
        }
        throw ResidentCheckError.noProcStatus
    }
}

enum ResidentCheckError: Error, CustomStringConvertible {
    case noProcStatus

    var description: String { "cannot read VmRSS from /proc/self/status" }
}

let arguments = CommandLine.arguments
let usage = """
    usage: sentiment-benchmark PATH/TO/movie_data.csv.gz
           sentiment-benchmark --resident PATH/TO/MODEL.mcm   (RSS of a process that loaded the model)
    """
do {
    switch arguments.count {
    case 2 where !arguments[1].hasPrefix("-"):
        try Benchmark(dataPath: arguments[1]).run()
    case 3 where arguments[1] == "--resident":
        try ResidentCheck(modelPath: arguments[2]).run()
    default:
        print(usage)
        exit(2)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
