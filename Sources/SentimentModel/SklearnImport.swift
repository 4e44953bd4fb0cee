/// Brings over a model a reader of the book trained in scikit-learn, without unpickling it:
/// the reader saves `clf.coef_` and `clf.intercept_` with `numpy.save`, and this builds the
/// equivalent model (same vectorizer settings, same weights, scale 1).
public enum SklearnImport {
    public enum Error: Swift.Error, CustomStringConvertible, Sendable {
        case array(NumpyArray.Error)
        case wrongShape(path: String, shape: [Int], expected: String)

        public var description: String {
            switch self {
            case .array(let error):
                return error.description
            case .wrongShape(let path, let shape, let expected):
                let found = "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
                return "\(path): shape \(found), expected \(expected)"
            }
        }
    }

    /// The model scikit-learn's `coef.npy` (shape (1, n_features)) and `intercept.npy` (shape
    /// (1,)) describe. `samplesSeen` is the classifier's `t_ - 1`, which sets the learning rate
    /// for feedback learned afterwards (the book's model has seen 50,000 reviews).
    public static func classifier(coefPath: String, interceptPath: String, samplesSeen: UInt64) throws(Error) -> SentimentClassifier {
        let coef: NumpyArray
        let intercept: NumpyArray
        do {
            coef = try NumpyArray(contentsOf: coefPath)
            intercept = try NumpyArray(contentsOf: interceptPath)
        } catch {
            throw .array(error)
        }
        guard coef.shape.count == 2 && coef.shape[0] == 1 || coef.shape.count == 1, let featureCount = coef.shape.last, featureCount > 0 else {
            throw .wrongShape(path: coefPath, shape: coef.shape, expected: "(1, n_features) as clf.coef_ has")
        }
        guard intercept.values.count == 1, intercept.shape.count <= 1 else {
            throw .wrongShape(path: interceptPath, shape: intercept.shape, expected: "(1,) as clf.intercept_ has")
        }
        let regression = LogisticRegression(
            weights: coef.values, scale: 1, intercept: intercept.values[0], samplesSeen: samplesSeen, alpha: LogisticRegression.bookAlpha)
        return SentimentClassifier(vectorizer: HashingVectorizer(featureCount: featureCount), regression: regression)
    }
}
