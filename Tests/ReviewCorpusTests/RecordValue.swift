import ReviewCorpus

/// A `CSVRecord` as a comparable value.
struct RecordValue: Equatable, CustomStringConvertible {
    var fields: [[UInt8]]
    var line: Int
    var problem: String?

    init(_ record: CSVRecord) {
        fields = record.fields
        line = record.line
        problem = record.problem
    }

    init(_ fields: [String], line: Int, problem: String? = nil) {
        self.fields = fields.map { Array($0.utf8) }
        self.line = line
        self.problem = problem
    }

    var description: String {
        "line \(line): \(fields.map { String(decoding: $0, as: UTF8.self).debugDescription }) \(problem ?? "")"
    }
}
