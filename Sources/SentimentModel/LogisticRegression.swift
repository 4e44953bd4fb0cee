import Glibc

/// A binary logistic regression over hashed features, trained by stochastic gradient descent
/// exactly as scikit-learn's `SGDClassifier(loss='log_loss', penalty='l2', alpha=1e-4,
/// learning_rate='optimal')` trains it with `partial_fit` on sparse input.
///
/// The weight vector is kept as `weights * scale`: the L2 penalty shrinks every weight at every
/// step, and folding that into one scale factor makes a step cost O(the sample's features)
/// instead of O(2^21), as in scikit-learn's `WeightVector`. The scale is part of the state
/// (and of the model file), so a model that keeps learning after a save, a load, or in another
/// process stays bit-for-bit the same as one that never stopped.
///
/// The raw weights hold only the columns learning has touched (the book's variant, about
/// 100,000 of its 2^21 columns) or the fixed columns with a feature scale (the n-gram variant),
/// so memory follows the vocabulary, not the feature count.
public struct LogisticRegression: Sendable, Equatable {
    /// Raw weights; the effective weight of column `i` is `table.weight(ofColumn: i) * scale`.
    private(set) var table: RegressionWeights
    public private(set) var scale: Double
    public private(set) var intercept: Double
    /// Samples learned so far: scikit-learn's `t_ - 1`, which drives the learning rate.
    public private(set) var samplesSeen: UInt64
    /// The L2 regularisation strength.
    public let alpha: Double
    /// The 'optimal' schedule's offset: `eta = 1 / (alpha * (optimalInit + t - 1))`, chosen so
    /// that the first step's rate is `typw / max(1, dloss(1, -typw))` with `typw = sqrt(1 / sqrt(alpha))`.
    private let optimalInit: Double

    /// scikit-learn's default `alpha`.
    public static let bookAlpha = 1e-4
    /// scikit-learn damps the intercept's step for sparse input (`SPARSE_INTERCEPT_DECAY`).
    static let interceptDecay = 0.01
    /// Below this, the scale is folded into the weights (`WSCALE_THRESHOLD`).
    static let minimumScale = 1e-9
    /// The log loss's gradient is clipped to this (`MAX_DLOSS`).
    static let maximumGradient = 1e12

    /// A model that has learned nothing: zero weights and intercept.
    public init(featureCount: Int, alpha: Double = LogisticRegression.bookAlpha) {
        self.init(table: .learned(WeightTable(featureCount: featureCount)), scale: 1, intercept: 0, samplesSeen: 0, alpha: alpha)
    }

    /// A model in a given state, from dense raw weights (imported from scikit-learn).
    public init(weights: [Double], scale: Double, intercept: Double, samplesSeen: UInt64, alpha: Double) {
        self.init(table: .learned(WeightTable(dense: weights)), scale: scale, intercept: intercept, samplesSeen: samplesSeen, alpha: alpha)
    }

    /// A model in a given state, from its weight table (read from a model file).
    init(table: RegressionWeights, scale: Double, intercept: Double, samplesSeen: UInt64, alpha: Double) {
        self.table = table
        self.scale = scale
        self.intercept = intercept
        self.samplesSeen = samplesSeen
        self.alpha = alpha
        let typw = (1 / alpha.squareRoot()).squareRoot()
        let initialEta = typw / max(1, Self.logLossGradient(y: 1, p: -typw))
        optimalInit = 1 / (initialEta * alpha)
    }

    /// A model whose columns are fixed, each with its feature scale (the n-gram variant): dense
    /// arrays of `featureCount` scales (0: the column is dropped) and raw weights (a weight
    /// outside the scaled columns must be 0), kept rounded to binary32 (see `ScaledColumnTable`).
    public init(featureScales: [Float], weights: [Double], scale: Double, intercept: Double, samplesSeen: UInt64, alpha: Double) {
        precondition(featureScales.count == weights.count, "a scale per weight")
        let stored = featureScales.reduce(0) { $1 != 0 ? $0 + 1 : $0 }
        let table = ScaledColumnTable(featureCount: weights.count, expectedCount: stored) { insert in
            for column in featureScales.indices {
                if featureScales[column] != 0 {
                    insert(column, featureScales[column], weights[column])
                } else {
                    precondition(weights[column] == 0, "a weight without a feature scale")
                }
            }
        }
        self.init(table: .scaled(table), scale: scale, intercept: intercept, samplesSeen: samplesSeen, alpha: alpha)
    }

    public var featureCount: Int { table.featureCount }

    /// Columns the model stores: with a weight, or (the n-gram variant) with a feature scale.
    public var storedColumnCount: Int { table.count }

    /// The raw weights as a dense array of `featureCount` doubles, bit for bit what a dense
    /// model would hold. Builds the array: O(featureCount), for tests and tools.
    public var weights: [Double] { table.dense() }

    /// Raw weights that are not 0: the ones a model file stores.
    public var nonzeroWeightCount: Int { table.nonzeroCount }

    /// Bytes the raw weights take in memory.
    public var weightMemoryBytes: Int { table.memoryBytes }

    /// The weight of `column` as the decision uses it: the raw weight times the scale.
    public func effectiveWeight(ofColumn column: Int) -> Double {
        table.weight(ofColumn: column) * scale
    }

    /// The feature scale and the raw weight of `column` (the effective weight is the raw
    /// weight times `scale`), in one lookup: (0, 0) where the model has none.
    public func entry(ofColumn column: Int) -> (featureScale: Float, rawWeight: Double) {
        table.entry(ofColumn: column).map { ($0.featureScale, $0.weight) } ?? (0, 0)
    }

    /// `w·x + b` for the terms `columns` (ascending) with their `values`, where `x` is the terms
    /// times their columns' feature scales, the unscaled ones dropped, L2-normalised: the
    /// n-gram variant's decision, in one table lookup per term.
    @inline(__always)
    public func scaledDecision(columns: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Double>) -> Double {
        let (_, product, squares) = table.scale(columns, values: values, into: nil)
        return scaledDecision(product: product, squares: squares)
    }

    /// The same decision from its two sums over the scaled terms, `Σ raw weight × value` and
    /// `Σ value²` (as `ScaledColumnTable.Lookup.sums(ofSortedRankKeys:termValue:)` gives them).
    @inline(__always)
    func scaledDecision(product: Double, squares: Double) -> Double {
        squares > 0 ? product / squares.squareRoot() * scale + intercept : intercept
    }

    /// Calls `body` with the row `x` that `scaledDecision` uses: what learning steps on.
    public func withScaledRow<Result>(
        columns: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Double>, _ body: (SparseRow) throws -> Result
    ) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: max(columns.count, 1)) { scaledColumns in
            try withUnsafeTemporaryAllocation(of: Double.self, capacity: max(columns.count, 1)) { scaledValues in
                try body(Self.scaledRow(table, columns: columns, values: values, into: (scaledColumns, scaledValues)))
            }
        }
    }

    /// The scaled, normalised row of the terms, in buffers of at least `columns.count`.
    private static func scaledRow(
        _ table: RegressionWeights, columns: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Double>,
        into buffers: (columns: UnsafeMutableBufferPointer<UInt32>, values: UnsafeMutableBufferPointer<Double>)
    ) -> SparseRow {
        let (count, _, squares) = table.scale(columns, values: values, into: buffers)
        if squares > 0 {
            let norm = squares.squareRoot()
            for index in 0..<count { buffers.values[index] /= norm }
        }
        return SparseRow(
            columns: UnsafeBufferPointer(rebasing: buffers.columns[..<count]), values: UnsafeBufferPointer(rebasing: buffers.values[..<count]))
    }

    /// `w·x + b`, scikit-learn's `decision_function`.
    @inline(__always)
    public func decision(_ row: SparseRow) -> Double {
        table.dot(row) * scale + intercept
    }

    /// `P(positive | x)`, scikit-learn's `predict_proba(x)[:, 1]`.
    @inline(__always)
    public func probabilityPositive(_ row: SparseRow) -> Double {
        Self.sigmoid(decision(row))
    }

    /// The logistic function, as scipy's `expit`.
    @inline(__always)
    public static func sigmoid(_ decision: Double) -> Double {
        1 / (1 + exp(-decision))
    }

    /// One SGD step on one sample (`positive` is label 1). Costs O(row.count), except on the
    /// rare step where the scale falls below 1e-9 and is folded into the weights, or where the
    /// weight table grows.
    ///
    /// `maximumStep` bounds the step's size, `|eta * dloss|`: for an L2-normalised row that
    /// bounds how far the step moves the decision (the log-odds) of any text, `|Δ(w·x')| ≤
    /// maximumStep * (|x·x'| + 0.01)`, plus the step's L2 shrinkage, which moves every decision
    /// towards 0 by a factor `eta * alpha` (about 2e-5). Training leaves it unbounded, as
    /// scikit-learn does; feedback from the public is learned with a bound.
    public mutating func learn(_ row: SparseRow, positive: Bool, maximumStep: Double = .infinity) {
        let p = decision(row)
        let eta = 1 / (alpha * ((optimalInit + Double(samplesSeen + 1)) - 1))
        let update = min(max(-eta * Self.clippedLogLossGradient(y: positive ? 1 : 0, p: p), -maximumStep), maximumStep)
        scale *= max(0, 1 - eta * alpha)
        if scale < Self.minimumScale { foldScale() }
        if update != 0 {
            table.add(row, times: update / scale)
            intercept += update * Self.interceptDecay
        }
        samplesSeen += 1
    }

    /// One SGD step on the terms of a text of the n-gram variant: on the row `withScaledRow`
    /// makes of them.
    public mutating func learn(
        columns: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Double>, positive: Bool, maximumStep: Double = .infinity
    ) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: max(columns.count, 1)) { scaledColumns in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: max(columns.count, 1)) { scaledValues in
                let row = Self.scaledRow(table, columns: columns, values: values, into: (scaledColumns, scaledValues))
                learn(row, positive: positive, maximumStep: maximumStep)
            }
        }
    }

    /// Multiplies the scale into the weights (scikit-learn's `reset_wscale`, which it runs at the
    /// end of every `partial_fit`). O(the weight table's capacity): about twice the columns
    /// learned so far.
    public mutating func foldScale() {
        table.multiply(by: scale)
        scale = 1
    }

    /// d(log loss)/dp for label `y` in {0, 1} and decision `p`, computed as scikit-learn 1.9's
    /// `CyHalfBinomialLoss.cy_gradient` computes it (the same rounding, so the same weights).
    private static func logLossGradient(y: Double, p: Double) -> Double {
        if p > -37 {
            let e = exp(-p)
            return ((1 - y) - y * e) / (1 + e)
        }
        return exp(p) - y
    }

    private static func clippedLogLossGradient(y: Double, p: Double) -> Double {
        min(max(logLossGradient(y: y, p: p), -maximumGradient), maximumGradient)
    }
}
