import Glibc
import SentimentModel
import Support

/// Trains the n-gram variant (docs/research/model-variant-2.md, row 18, chosen by 3-fold
/// cross-validation inside the training rows): the Naive Bayes log-count ratio of every column
/// present in at least `minimumDocuments` training reviews, frozen as the column's feature
/// scale, then logistic regression on the scaled, normalised terms by averaged SGD, `epochs`
/// passes in an order drawn from SplitMix64, averaging from the second, each feature dropped
/// with probability `dropout` at each step (and the kept ones scaled up to match).
///
/// Deterministic: the same reviews give the same model, bit for bit.
public struct NGramTrainer: Sendable {
    public var epochs = 20
    /// λ: the L2 strength of the objective, also the model's `alpha` for online learning.
    public var regularisation = 3e-6
    /// η0 of the schedule `η_t = η0 / (1 + λ η0 t)^0.75`.
    public var initialRate = 3.0
    /// The Naive Bayes smoothing, added to every column's counts.
    public var smoothing = 2.0
    /// Columns in fewer training reviews get no scale: dropped, never stored, never learned.
    public var minimumDocuments = 3
    /// The probability that a feature is left out of a training step.
    public var dropout = 0.5
    /// The seed of the order of the rows; the dropout draws from a second generator.
    public var seed: UInt64 = 42
    static let dropoutSeed: UInt64 = 7

    public init() {}

    /// The trained model of `samples`.
    public func train(_ samples: [LabeledSample]) -> SentimentClassifier {
        let featureCount = NGramVectorizer.featureCount
        // Each review's distinct columns and counts, end to end, and the Naive Bayes counts.
        var starts = [0]
        starts.reserveCapacity(samples.count + 1)
        var termColumns: [UInt32] = []
        var termCounts: [Int32] = []
        var positive = [Double](repeating: 0, count: featureCount)
        var negative = [Double](repeating: 0, count: featureCount)
        var documents = [Int32](repeating: 0, count: featureCount)
        var positiveTotal = 0.0
        var negativeTotal = 0.0
        for sample in samples {
            NGramVectorizer.withTermCounts(of: sample.text) { columns, counts in
                termColumns.append(contentsOf: columns)
                termCounts.append(contentsOf: counts)
                for index in columns.indices {
                    let column = Int(columns[index])
                    let count = Double(counts[index])
                    documents[column] += 1
                    if sample.sentiment == .positive {
                        positive[column] += count
                        positiveTotal += count
                    } else {
                        negative[column] += count
                        negativeTotal += count
                    }
                }
            }
            starts.append(termColumns.count)
        }
        let positiveNorm = Double(featureCount) * smoothing + positiveTotal
        let negativeNorm = Double(featureCount) * smoothing + negativeTotal
        var featureScales = [Float](repeating: 0, count: featureCount)
        for column in 0..<featureCount where Int(documents[column]) >= minimumDocuments {
            featureScales[column] = Float(log((positive[column] + smoothing) / positiveNorm) - log((negative[column] + smoothing) / negativeNorm))
        }
        // The rows as the model sees them: scaled by the stored (binary32) scales, normalised.
        var rowColumns: [UInt32] = []
        var rowValues: [Double] = []
        rowColumns.reserveCapacity(termColumns.count)
        rowValues.reserveCapacity(termColumns.count)
        var rowStarts = [0]
        rowStarts.reserveCapacity(samples.count + 1)
        for row in 0..<samples.count {
            let first = rowValues.count
            var squares = 0.0
            for index in starts[row]..<starts[row + 1] {
                let column = termColumns[index]
                let featureScale = featureScales[Int(column)]
                guard featureScale != 0 else { continue }
                let value = Double(featureScale) * NGramVectorizer.termValue(count: Int(termCounts[index]))
                rowColumns.append(column)
                rowValues.append(value)
                squares += value * value
            }
            if squares > 0 {
                let norm = squares.squareRoot()
                for index in first..<rowValues.count { rowValues[index] /= norm }
            }
            rowStarts.append(rowValues.count)
        }
        let (weights, intercept) = averagedSGD(
            starts: rowStarts, columns: rowColumns, values: rowValues, labels: samples.map { $0.sentiment == .positive },
            featureCount: featureCount)
        let regression = LogisticRegression(
            featureScales: featureScales, weights: weights, scale: 1, intercept: intercept, samplesSeen: UInt64(epochs * samples.count),
            alpha: regularisation)
        let record = TrainingRecord(
            rows: UInt64(samples.count), epochs: UInt32(epochs), minimumDocuments: UInt32(minimumDocuments), smoothing: smoothing,
            dropout: dropout, initialRate: initialRate, seed: seed)
        return SentimentClassifier(vectorizer: .ngram(NGramVectorizer()), regression: regression, training: record)
    }

    /// Averaged SGD on the log loss: `w ← (1 − ηλ) w + η g x̃`, `b ← b + η g` with
    /// `g = y σ(−y w·x̃ + b)`, where `x̃` is the row with each feature dropped with probability
    /// `dropout` and the others divided by `1 − dropout`. The weights are kept as `s·v` so a step
    /// costs O(the row), and the average is kept lazily per column: exact, not approximated.
    func averagedSGD(
        starts: [Int], columns: [UInt32], values: [Double], labels: [Bool], featureCount: Int
    ) -> (weights: [Double], intercept: Double) {
        let count = labels.count
        let averagingStart = count
        var v = [Double](repeating: 0, count: featureCount)
        var scale = 1.0
        var intercept = 0.0
        // Σ w_k[j] over the averaging steps up to column j's last touch, and the running sum of
        // the scale at that touch.
        var sums = [Double](repeating: 0, count: featureCount)
        var scaleSumAtTouch = [Double](repeating: 0, count: featureCount)
        var scaleSum = 0.0
        var interceptSum = 0.0
        var order = SplitMix64(seed: seed)
        var drops = SplitMix64(seed: Self.dropoutSeed)
        let keptFactor = 1 / (1 - dropout)
        let longestRow = zip(starts.dropFirst(), starts).map { $0 - $1 }.max() ?? 0
        var keptColumns = [Int](repeating: 0, count: longestRow)
        var keptValues = [Double](repeating: 0, count: longestRow)
        var step = 0
        for _ in 0..<epochs {
            // Each epoch shuffles 0..<n afresh, the generator's state carried over.
            var rows = Array(0..<count)
            order.shuffle(&rows)
            for row in rows {
                let eta = initialRate / pow(1 + regularisation * initialRate * Double(step), 0.75)
                var kept = 0
                var dot = 0.0
                for index in starts[row]..<starts[row + 1] {
                    let draw = Double(drops.next() >> 11) * 0x1p-53
                    guard draw >= dropout else { continue }
                    let column = Int(columns[index])
                    let value = values[index] * keptFactor
                    keptColumns[kept] = column
                    keptValues[kept] = value
                    kept += 1
                    dot += v[column] * value
                }
                let score = dot * scale + intercept
                let y = labels[row] ? 1.0 : -1.0
                let margin = y * score
                // y σ(−y s), computed without overflow.
                let gradient = margin > 0 ? y * exp(-margin) / (1 + exp(-margin)) : y / (1 + exp(margin))
                scale *= 1 - eta * regularisation
                let change = eta * gradient / scale
                for index in 0..<kept {
                    let j = keptColumns[index]
                    sums[j] += v[j] * (scaleSum - scaleSumAtTouch[j])
                    scaleSumAtTouch[j] = scaleSum
                    v[j] += change * keptValues[index]
                }
                intercept += eta * gradient
                if step >= averagingStart {
                    scaleSum += scale
                    interceptSum += intercept
                }
                step += 1
            }
        }
        let averaged = Double(step - averagingStart)
        var weights = [Double](repeating: 0, count: featureCount)
        for j in 0..<featureCount where v[j] != 0 || sums[j] != 0 {
            weights[j] = (sums[j] + v[j] * (scaleSum - scaleSumAtTouch[j])) / averaged
        }
        return (weights, interceptSum / averaged)
    }
}
