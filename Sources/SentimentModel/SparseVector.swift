/// An owned copy of a `SparseRow`, for tests and tools.
public struct SparseVector: Equatable, Sendable {
    public var columns: [UInt32]
    public var values: [Double]

    public init(columns: [UInt32], values: [Double]) {
        precondition(columns.count == values.count)
        self.columns = columns
        self.values = values
    }

    /// Calls `body` with the vector as a `SparseRow`.
    public func withRow<Result>(_ body: (SparseRow) throws -> Result) rethrows -> Result {
        try columns.withUnsafeBufferPointer { columns in
            try values.withUnsafeBufferPointer { values in
                try body(SparseRow(columns: columns, values: values))
            }
        }
    }
}
