/// One text's features: the L2-normalised signed token counts, columns ascending, as
/// scikit-learn's `HashingVectorizer(n_features=2**21)` produces them (duplicate columns
/// summed; a column whose tokens cancel out is kept with value 0, as scikit-learn keeps it).
public struct SparseRow {
    public let columns: UnsafeBufferPointer<UInt32>
    public let values: UnsafeBufferPointer<Double>

    public init(columns: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Double>) {
        precondition(columns.count == values.count)
        self.columns = columns
        self.values = values
    }

    public var count: Int { columns.count }
}
