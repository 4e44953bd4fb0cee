import Glibc
import SentimentModel
import Support

/// Trains the n-gram variant (docs/research/model-variant.md): the Naive Bayes log-count ratio
/// of every column present in at least `minimumDocuments` training reviews, frozen as the
/// vectorizer's scale, then logistic regression on the scaled, normalised features by averaged
/// SGD, `epochs` passes in an order drawn from SplitMix64 (seed 42), averaging from the second.
///
/// Deterministic: the same reviews give the same model, bit for bit.
public struct NGramTrainer: Sendable {
    public var epochs = 10
    /// λ: the L2 strength of the objective, also the model's `alpha` for online learning.
    public var regularisation = 3e-6
    /// η0 of the schedule `η_t = η0 / (1 + λ η0 t)^0.75`.
    public var initialRate = 3.0
    /// The Naive Bayes smoothing, added to every column's counts.
    public var smoothing = 1.0
    /// Columns in fewer training reviews get no scale: dropped, never stored, never learned.
    public var minimumDocuments = 3

    public init() {}

    /// The vectorizer (with the learned scales) and the averaged model of `samples`.
    public func train(_ samples: [LabeledSample]) -> (vectorizer: NGramVectorizer, regression: LogisticRegression) {
        let featureCount = NGramVectorizer.featureCount
        // Each review's distinct columns, and the counts of the Naive Bayes ratio.
        var documents: [[UInt32]] = []
        documents.reserveCapacity(samples.count)
        var positive = [Int32](repeating: 0, count: featureCount)
        var negative = [Int32](repeating: 0, count: featureCount)
        var positiveTotal = 0.0
        var negativeTotal = 0.0
        for sample in samples {
            let columns = NGramVectorizer.withColumns(of: sample.text) { Array($0) }
            if sample.sentiment == .positive {
                for column in columns { positive[Int(column)] += 1 }
                positiveTotal += Double(columns.count)
            } else {
                for column in columns { negative[Int(column)] += 1 }
                negativeTotal += Double(columns.count)
            }
            documents.append(columns)
        }
        let positiveNorm = Double(featureCount) * smoothing + positiveTotal
        let negativeNorm = Double(featureCount) * smoothing + negativeTotal
        var scale = [Double](repeating: 0, count: featureCount)
        for column in 0..<featureCount where Int(positive[column] + negative[column]) >= minimumDocuments {
            scale[column] = log((Double(positive[column]) + smoothing) / positiveNorm) - log((Double(negative[column]) + smoothing) / negativeNorm)
        }
        // The scaled, normalised rows.
        var rowColumns: [[UInt32]] = []
        var rowValues: [[Double]] = []
        rowColumns.reserveCapacity(samples.count)
        rowValues.reserveCapacity(samples.count)
        for columns in documents {
            let kept = columns.filter { scale[Int($0)] != 0 }
            var values = kept.map { scale[Int($0)] }
            let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { values = values.map { $0 / norm } }
            rowColumns.append(kept)
            rowValues.append(values)
        }
        let (weights, intercept) = averagedSGD(
            columns: rowColumns, values: rowValues, labels: samples.map { $0.sentiment == .positive }, featureCount: featureCount)
        let regression = LogisticRegression(
            weights: weights, scale: 1, intercept: intercept, samplesSeen: UInt64(epochs * samples.count), alpha: regularisation)
        return (NGramVectorizer(denseScale: scale), regression)
    }

    /// Averaged SGD on the log loss: `w ← (1 − ηλ) w + η g x`, `b ← b + η g` with `g = y σ(−y s)`;
    /// the weights kept as `s·v` so a step costs O(the row), and the average kept lazily per
    /// column: exact, not approximated.
    func averagedSGD(columns: [[UInt32]], values: [[Double]], labels: [Bool], featureCount: Int) -> (weights: [Double], intercept: Double) {
        let count = columns.count
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
        var random = SplitMix64(seed: 42)
        var step = 0
        for _ in 0..<epochs {
            // Each epoch shuffles 0..<n afresh, the generator's state carried over.
            var order = Array(0..<count)
            random.shuffle(&order)
            for index in order {
                let eta = initialRate / pow(1 + regularisation * initialRate * Double(step), 0.75)
                let row = columns[index]
                let x = values[index]
                var dot = 0.0
                for (column, value) in zip(row, x) { dot += v[Int(column)] * value }
                let score = dot * scale + intercept
                let y = labels[index] ? 1.0 : -1.0
                let margin = y * score
                // y σ(−y s), computed without overflow.
                let gradient = margin > 0 ? y * exp(-margin) / (1 + exp(-margin)) : y / (1 + exp(margin))
                scale *= 1 - eta * regularisation
                let change = eta * gradient / scale
                for (column, value) in zip(row, x) {
                    let j = Int(column)
                    sums[j] += v[j] * (scaleSum - scaleSumAtTouch[j])
                    scaleSumAtTouch[j] = scaleSum
                    v[j] += change * value
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
