import Dispatch
import Glibc
import SentimentModel
import Support

/// Trains the n-gram variant (docs/research/model-variant-3.md, row 15, chosen by 3-fold
/// cross-validation inside the training rows): the Naive Bayes log-count ratio of every column
/// present in at least `minimumDocuments` training reviews (`minimumTrigramDocuments` for a
/// trigram), each block of columns with its own counts, frozen as the column's feature scale,
/// then logistic regression on the scaled, normalised terms by averaged SGD, `epochs`
/// passes in an order drawn from SplitMix64, averaging from the second, each feature dropped
/// with probability `dropout` at each step (and the kept ones scaled up to match).
///
/// Deterministic: the same reviews give the same model, bit for bit.
public struct NGramTrainer: Sendable {
    public var epochs = 20
    /// λ: the L2 strength of the objective, also the model's `alpha` for online learning.
    public var regularisation = 1.5e-6
    /// η0 of the schedule `η_t = η0 / (1 + λ η0 t)^0.75`.
    public var initialRate = 3.0
    /// The Naive Bayes smoothing, added to every column's counts.
    public var smoothing = 2.0
    /// Columns in fewer training reviews get no scale: dropped, never stored, never learned.
    public var minimumDocuments = 3
    /// The same for the trigram block.
    public var minimumTrigramDocuments = 10
    /// The probability that a feature is left out of a training step.
    public var dropout = 0.5
    /// The seed of the order of the rows; the dropout draws from a second generator.
    public var seed: UInt64 = 42
    /// How terms become columns; models trained before token keys hashed terms' bytes.
    public var vectorizer = NGramVectorizer()
    static let dropoutSeed: UInt64 = 7

    public init() {}

    /// The trained model of `samples`.
    public func train(_ samples: [LabeledSample]) -> SentimentClassifier {
        let featureCount = NGramVectorizer.featureCount
        let terms = Self.termCounts(of: samples, vectorizer: vectorizer)
        // The Naive Bayes counts.
        var positive = [Double](repeating: 0, count: featureCount)
        var negative = [Double](repeating: 0, count: featureCount)
        var documents = [Int32](repeating: 0, count: featureCount)
        // Per block: unigrams and bigrams, trigrams.
        var positiveTotal = [0.0, 0.0]
        var negativeTotal = [0.0, 0.0]
        let blockSize = NGramVectorizer.blockSize
        for (row, sample) in samples.enumerated() {
            for index in terms.starts[row]..<terms.starts[row + 1] {
                let column = Int(terms.columns[index])
                let count = Double(terms.counts[index])
                documents[column] += 1
                if sample.sentiment == .positive {
                    positive[column] += count
                    positiveTotal[column / blockSize] += count
                } else {
                    negative[column] += count
                    negativeTotal[column / blockSize] += count
                }
            }
        }
        let positiveNorm = positiveTotal.map { Double(blockSize) * smoothing + $0 }
        let negativeNorm = negativeTotal.map { Double(blockSize) * smoothing + $0 }
        var featureScales = [Float](repeating: 0, count: featureCount)
        // The scaled columns numbered in column order: SGD works on a compact array of them.
        var compactIndex = [Int32](repeating: -1, count: featureCount)
        var scaledColumns: [Int] = []
        for column in 0..<featureCount where Int(documents[column]) >= (column < blockSize ? minimumDocuments : minimumTrigramDocuments) {
            let block = column / blockSize
            let ratio = Float(
                log((positive[column] + smoothing) / positiveNorm[block]) - log((negative[column] + smoothing) / negativeNorm[block]))
            guard ratio != 0 else { continue }
            featureScales[column] = ratio
            compactIndex[column] = Int32(scaledColumns.count)
            scaledColumns.append(column)
        }
        // The rows as the model sees them: scaled by the stored (binary32) scales, normalised.
        var rowColumns: [Int32] = []
        var rowValues: [Double] = []
        rowColumns.reserveCapacity(terms.columns.count)
        rowValues.reserveCapacity(terms.columns.count)
        var rowStarts = [0]
        rowStarts.reserveCapacity(samples.count + 1)
        for row in 0..<samples.count {
            let first = rowValues.count
            var squares = 0.0
            for index in terms.starts[row]..<terms.starts[row + 1] {
                let column = Int(terms.columns[index])
                let featureScale = featureScales[column]
                guard featureScale != 0 else { continue }
                let value = Double(featureScale) * NGramVectorizer.termValue(count: Int(terms.counts[index]))
                rowColumns.append(compactIndex[column])
                rowValues.append(value)
                squares += value * value
            }
            if squares > 0 {
                let norm = squares.squareRoot()
                for index in first..<rowValues.count { rowValues[index] /= norm }
            }
            rowStarts.append(rowValues.count)
        }
        let (compactWeights, intercept) = averagedSGD(
            starts: rowStarts, columns: rowColumns, values: rowValues, labels: samples.map { $0.sentiment == .positive },
            columnCount: scaledColumns.count)
        var weights = [Double](repeating: 0, count: featureCount)
        for (index, column) in scaledColumns.enumerated() { weights[column] = compactWeights[index] }
        let regression = LogisticRegression(
            featureScales: featureScales, weights: weights, scale: 1, intercept: intercept, samplesSeen: UInt64(epochs * samples.count),
            alpha: regularisation)
        let record = TrainingRecord(
            rows: UInt64(samples.count), epochs: UInt32(epochs), minimumDocuments: UInt32(minimumDocuments),
            minimumTrigramDocuments: UInt32(minimumTrigramDocuments), smoothing: smoothing,
            dropout: dropout, initialRate: initialRate, seed: seed)
        return SentimentClassifier(vectorizer: .ngram(vectorizer), regression: regression, training: record)
    }

    /// Every review's distinct term columns and counts, end to end (`starts[i]..<starts[i + 1]`
    /// are review i's), counted on two threads, each over its half of the reviews: the same
    /// arrays as one thread would make.
    static func termCounts(of samples: [LabeledSample], vectorizer: NGramVectorizer) -> (starts: [Int], columns: [UInt32], counts: [Int32]) {
        let parts = 2
        let bounds = (0...parts).map { $0 * samples.count / parts }
        // Each thread writes only its own element.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<(starts: [Int], columns: [UInt32], counts: [Int32])>.allocate(
            capacity: parts)
        results.initialize(repeating: ([], [], []))
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var starts = [0]
            var columns: [UInt32] = []
            var counts: [Int32] = []
            for sample in samples[bounds[part]..<bounds[part + 1]] {
                vectorizer.withTermCounts(of: sample.text) { termColumns, termCounts in
                    columns.append(contentsOf: termColumns)
                    counts.append(contentsOf: termCounts)
                }
                starts.append(columns.count)
            }
            results[part] = (starts, columns, counts)
        }
        var starts = results[0].starts
        var columns = results[0].columns
        var counts = results[0].counts
        for part in 1..<parts {
            let offset = columns.count
            starts.append(contentsOf: results[part].starts.dropFirst().map { $0 + offset })
            columns.append(contentsOf: results[part].columns)
            counts.append(contentsOf: results[part].counts)
        }
        return (starts, columns, counts)
    }

    /// What averaged SGD keeps per column, side by side so that a step touches one cache line
    /// per feature: the raw weight `v` (the weight is `s·v`), `Σ w_k` over the averaging steps
    /// up to the column's last touch, and the running sum of the scale at that touch.
    private struct ColumnState {
        var raw = 0.0
        var sum = 0.0
        var scaleSumAtTouch = 0.0
    }

    /// Averaged SGD on the log loss: `w ← (1 − ηλ) w + η g x̃`, `b ← b + η g` with
    /// `g = y σ(−y w·x̃ + b)`, where `x̃` is the row with each feature dropped with probability
    /// `dropout` and the others divided by `1 − dropout`. The weights are kept as `s·v` so a step
    /// costs O(the row), and the average is kept lazily per column: exact, not approximated.
    func averagedSGD(
        starts: [Int], columns: [Int32], values: [Double], labels: [Bool], columnCount: Int
    ) -> (weights: [Double], intercept: Double) {
        let count = labels.count
        let averagingStart = count
        var state = [ColumnState](repeating: ColumnState(), count: columnCount)
        var scale = 1.0
        var intercept = 0.0
        var scaleSum = 0.0
        var interceptSum = 0.0
        var order = SplitMix64(seed: seed)
        var drops = SplitMix64(seed: Self.dropoutSeed)
        let keptFactor = 1 / (1 - dropout)
        let longestRow = zip(starts.dropFirst(), starts).map { $0 - $1 }.max() ?? 0
        let keptColumns = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(longestRow, 1))
        let keptValues = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(longestRow, 1))
        defer {
            keptColumns.deallocate()
            keptValues.deallocate()
        }
        var step = 0
        state.withUnsafeMutableBufferPointer { state in
            for _ in 0..<epochs {
                // Each epoch shuffles 0..<n afresh, the generator's state carried over.
                var rows = Array(0..<count)
                order.shuffle(&rows)
                for row in rows {
                    let eta = initialRate / pow(1 + regularisation * initialRate * Double(step), 0.75)
                    // Every feature is written, and only the kept ones counted: a coin flip per
                    // feature would be a branch mispredicted half the time.
                    var kept = 0
                    for index in starts[row]..<starts[row + 1] {
                        let draw = Double(drops.next() >> 11) * 0x1p-53
                        keptColumns[kept] = Int(columns[index])
                        keptValues[kept] = values[index] * keptFactor
                        kept += draw >= dropout ? 1 : 0
                    }
                    var dot = 0.0
                    for index in 0..<kept { dot += state[keptColumns[index]].raw * keptValues[index] }
                    let score = dot * scale + intercept
                    let y = labels[row] ? 1.0 : -1.0
                    let margin = y * score
                    // y σ(−y s), computed without overflow.
                    let gradient = margin > 0 ? y * exp(-margin) / (1 + exp(-margin)) : y / (1 + exp(margin))
                    scale *= 1 - eta * regularisation
                    let change = eta * gradient / scale
                    for index in 0..<kept {
                        let j = keptColumns[index]
                        state[j].sum += state[j].raw * (scaleSum - state[j].scaleSumAtTouch)
                        state[j].scaleSumAtTouch = scaleSum
                        state[j].raw += change * keptValues[index]
                    }
                    intercept += eta * gradient
                    if step >= averagingStart {
                        scaleSum += scale
                        interceptSum += intercept
                    }
                    step += 1
                }
            }
        }
        let averaged = Double(step - averagingStart)
        let weights = state.map { ($0.sum + $0.raw * (scaleSum - $0.scaleSumAtTouch)) / averaged }
        return (weights, interceptSum / averaged)
    }
}
