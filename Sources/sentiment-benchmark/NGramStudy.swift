import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel
import Support

/// The n-gram variant on the book's data set, beside the book's model in the same run
/// (issue 13, not yet a model the app serves): training time, test accuracy on the book's split
/// and on a second, seeded split, the columns it stores, and what classifying costs.
struct NGramStudy {
    let dataPath: String
    let clock = ContinuousClock()
    static let testSize = 5_000

    func run() throws {
        var reader = try LabeledReviewReader(path: dataPath)
        var samples: [LabeledSample] = []
        while let review = try reader.next() {
            samples.append(LabeledSample(text: review.text, sentiment: review.label == 1 ? .positive : .negative))
        }
        print("n-gram variant study on \(dataPath): \(samples.count) reviews; train on all but the last \(Self.testSize), test on those")
        var shuffled = samples
        var random = SplitMix64(seed: 1)
        random.shuffle(&shuffled)
        for (name, rows) in [("book split", samples), ("SplitMix64(seed: 1) split", shuffled)] {
            let training = Array(rows.dropLast(Self.testSize))
            let test = Array(rows.suffix(Self.testSize))
            let start = clock.now
            let (vectorizer, regression) = NGramTrainer().train(training)
            let trainingSeconds = (clock.now - start).seconds
            let correct = test.filter { sample in
                vectorizer.withFeatures(of: sample.text) { regression.decision($0) > 0 } == (sample.sentiment == .positive)
            }.count
            print(
                "  \(name): test accuracy \(format(Double(correct) / Double(test.count), 4)), trained in \(format(trainingSeconds, 2)) s, "
                    + "\(vectorizer.scaledColumnCount) scaled columns, \(regression.nonzeroWeightCount) nonzero weights")
            guard name == "book split" else { continue }
            var book = SentimentClassifier()
            var index = 0
            while index < training.count {
                book.partialFit(Array(training[index..<min(index + 1_000, training.count)]))
                index += 1_000
            }
            var ours: [Double] = []
            var theirs: [Double] = []
            var checksum = 0.0
            for _ in 0..<3 {
                for sample in test {
                    var begin = clock.now
                    checksum += vectorizer.withFeatures(of: sample.text) { regression.probabilityPositive($0) }
                    ours.append((clock.now - begin).seconds)
                    begin = clock.now
                    checksum += book.classify(sample.text).probabilityPositive
                    theirs.append((clock.now - begin).seconds)
                }
            }
            // Where the time goes: tokens, then columns, then scaled features, then the decision.
            var parts: [[Double]] = [[], [], []]
            for sample in test {
                var begin = clock.now
                var tokens = 0
                NegationTokenizer().forEachToken(in: sample.text) { _ in tokens += 1 }
                parts[0].append((clock.now - begin).seconds)
                begin = clock.now
                checksum += Double(NGramVectorizer.withColumns(of: sample.text) { $0.count })
                parts[1].append((clock.now - begin).seconds)
                begin = clock.now
                checksum += Double(vectorizer.withFeatures(of: sample.text) { $0.count })
                parts[2].append((clock.now - begin).seconds)
                checksum += Double(tokens)
            }
            let medians = parts.map { $0.sorted()[$0.count / 2] * 1e6 }
            print(
                "  medians: tokens \(format(medians[0], 2)) µs, + columns \(format(medians[1], 2)) µs, + scaled features \(format(medians[2], 2)) µs")
            ours.sort()
            theirs.sort()
            let oursMedian = ours[ours.count / 2] * 1e6
            let theirsMedian = theirs[theirs.count / 2] * 1e6
            print(
                "  classify, median over the test reviews: n-gram variant \(format(oursMedian, 2)) µs, book \(format(theirsMedian, 2)) µs "
                    + "(\(format(oursMedian / theirsMedian, 2))x)\(checksum.isNaN ? " NaN" : "")")
        }
    }
}
