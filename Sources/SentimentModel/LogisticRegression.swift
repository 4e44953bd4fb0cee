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
public struct LogisticRegression: Sendable, Equatable {
    /// Raw weights; the effective weight of column `i` is `weights[i] * scale`.
    public private(set) var weights: [Double]
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
        self.init(weights: [Double](repeating: 0, count: featureCount), scale: 1, intercept: 0, samplesSeen: 0, alpha: alpha)
    }

    /// A model in a given state (from a model file, or imported from scikit-learn).
    public init(weights: [Double], scale: Double, intercept: Double, samplesSeen: UInt64, alpha: Double) {
        self.weights = weights
        self.scale = scale
        self.intercept = intercept
        self.samplesSeen = samplesSeen
        self.alpha = alpha
        let typw = (1 / alpha.squareRoot()).squareRoot()
        let initialEta = typw / max(1, Self.logLossGradient(y: 1, p: -typw))
        optimalInit = 1 / (initialEta * alpha)
    }

    public var featureCount: Int { weights.count }

    /// `w·x + b`, scikit-learn's `decision_function`.
    @inline(__always)
    public func decision(_ row: SparseRow) -> Double {
        weights.withUnsafeBufferPointer { weights in
            var product = 0.0
            for index in 0..<row.count {
                product += weights[Int(row.columns[index])] * row.values[index]
            }
            return product * scale + intercept
        }
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
    /// rare step where the scale falls below 1e-9 and is folded into the weights.
    public mutating func learn(_ row: SparseRow, positive: Bool) {
        let p = decision(row)
        let eta = 1 / (alpha * ((optimalInit + Double(samplesSeen + 1)) - 1))
        let update = -eta * Self.clippedLogLossGradient(y: positive ? 1 : 0, p: p)
        scale *= max(0, 1 - eta * alpha)
        if scale < Self.minimumScale { foldScale() }
        if update != 0 {
            let step = update / scale
            weights.withUnsafeMutableBufferPointer { weights in
                for index in 0..<row.count {
                    weights[Int(row.columns[index])] += row.values[index] * step
                }
            }
            intercept += update * Self.interceptDecay
        }
        samplesSeen += 1
    }

    /// Multiplies the scale into the weights (scikit-learn's `reset_wscale`, which it runs at the
    /// end of every `partial_fit`). O(featureCount).
    public mutating func foldScale() {
        let scale = scale
        weights.withUnsafeMutableBufferPointer { weights in
            for index in weights.indices { weights[index] *= scale }
        }
        self.scale = 1
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
