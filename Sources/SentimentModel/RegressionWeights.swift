/// The raw weights of a `LogisticRegression`, laid out as its variant needs: the book's grow
/// as it learns new columns (`WeightTable`); the n-gram variant's columns are fixed when it is
/// trained, each with a feature scale (`ScaledColumnTable`).
enum RegressionWeights: Sendable, Equatable {
    case learned(WeightTable)
    case scaled(ScaledColumnTable)
    /// Only while a mutating method has taken the table out to change it, so that the table is
    /// the only owner of its storage and changes it in place.
    case changing

    var featureCount: Int {
        switch self {
        case .learned(let table): table.featureCount
        case .scaled(let table): table.featureCount
        case .changing: preconditionFailure("weights read while they change")
        }
    }

    /// Columns stored: with a weight, or with a feature scale.
    var count: Int {
        switch self {
        case .learned(let table): table.count
        case .scaled(let table): table.count
        case .changing: preconditionFailure("weights read while they change")
        }
    }

    var nonzeroCount: Int {
        switch self {
        case .learned(let table): table.nonzeroCount
        case .scaled(let table): table.nonzeroCount
        case .changing: preconditionFailure("weights read while they change")
        }
    }

    var memoryBytes: Int {
        switch self {
        case .learned(let table): table.memoryBytes
        case .scaled(let table): table.memoryBytes
        case .changing: preconditionFailure("weights read while they change")
        }
    }

    /// The raw weight of `column`; +0 where none is stored.
    func weight(ofColumn column: Int) -> Double {
        switch self {
        case .learned(let table): table.weight(ofColumn: column)
        case .scaled(let table): table.entry(ofColumn: column)?.weight ?? 0
        case .changing: preconditionFailure("weights read while they change")
        }
    }

    /// The feature scale and raw weight of `column`, nil where the n-gram variant's has none;
    /// the book's columns have no feature scale (0).
    func entry(ofColumn column: Int) -> (featureScale: Float, weight: Double)? {
        switch self {
        case .learned(let table): (0, table.weight(ofColumn: column))
        case .scaled(let table): table.entry(ofColumn: column)
        case .changing: preconditionFailure("weights read while they change")
        }
    }

    /// See `ScaledColumnTable.scale`; only the n-gram variant has feature scales.
    @inline(__always)
    func scale(
        _ columns: UnsafeBufferPointer<UInt32>, values: UnsafeBufferPointer<Double>,
        into scaled: (columns: UnsafeMutableBufferPointer<UInt32>, values: UnsafeMutableBufferPointer<Double>)?
    ) -> (count: Int, product: Double, squares: Double) {
        guard case .scaled(let table) = self else { preconditionFailure("the book's variant has no feature scales") }
        return table.scale(columns, values: values, into: scaled)
    }

    func dot(_ row: SparseRow) -> Double {
        switch self {
        case .learned(let table): table.dot(row)
        case .scaled(let table): table.dot(row)
        case .changing: preconditionFailure("weights read while they change")
        }
    }

    mutating func add(_ row: SparseRow, times step: Double) {
        switch self {
        case .learned(var table):
            self = .changing
            table.add(row, times: step)
            self = .learned(table)
        case .scaled(var table):
            self = .changing
            table.add(row, times: step)
            self = .scaled(table)
        case .changing: preconditionFailure("weights changed while they change")
        }
    }

    mutating func multiply(by factor: Double) {
        switch self {
        case .learned(var table):
            self = .changing
            table.multiply(by: factor)
            self = .learned(table)
        case .scaled(var table):
            self = .changing
            table.multiply(by: factor)
            self = .scaled(table)
        case .changing: preconditionFailure("weights changed while they change")
        }
    }

    /// The dense array of `featureCount` raw weights.
    func dense() -> [Double] {
        switch self {
        case .learned(let table): table.dense()
        case .scaled(let table): table.dense()
        case .changing: preconditionFailure("weights read while they change")
        }
    }

    /// Calls `body` with each stored column, its feature scale (0 for the book's) and its raw
    /// weight, columns ascending.
    func forEachEntryInColumnOrder(_ body: (_ column: Int, _ featureScale: Float, _ weight: Double) throws -> Void) rethrows {
        switch self {
        case .learned(let table): try table.forEachInColumnOrder { column, weight in try body(column, 0, weight) }
        case .scaled(let table): try table.forEachEntryInColumnOrder(body)
        case .changing: preconditionFailure("weights read while they change")
        }
    }
}
