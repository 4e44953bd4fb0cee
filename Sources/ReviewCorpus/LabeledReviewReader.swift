/// Reads labelled reviews from a CSV with a header naming a `review` and a `sentiment` column
/// (other columns are ignored), the format of the book's `movie_data.csv`. A row that is not
/// valid stops reading with an error naming its line, or, with `skipMalformed`, is counted in
/// `skipped` and passed over.
public struct LabeledReviewReader: Sendable {
    public let input: InputStream
    public let skipMalformed: Bool
    /// The rows passed over, with why (only with `skipMalformed`).
    public private(set) var skipped: [CorpusError] = []
    private var records: CSVRecordReader
    private var reviewColumn = -1
    private var sentimentColumn = -1
    private var columnCount = 0

    public init(input: InputStream, skipMalformed: Bool = false) {
        self.input = input
        self.skipMalformed = skipMalformed
        records = CSVRecordReader(input: input)
    }

    /// Opens `path` (`-` for standard input; gzip or plain).
    public init(path: String, skipMalformed: Bool = false) throws(CorpusError) {
        self.init(input: try InputStream(path: path), skipMalformed: skipMalformed)
    }

    public mutating func next() throws(CorpusError) -> LabeledReview? {
        if reviewColumn < 0 { try readHeader() }
        while let record = try records.next() {
            do throws(CorpusError) {
                return try review(from: record)
            } catch {
                guard skipMalformed else { throw error }
                skipped.append(error)
            }
        }
        return nil
    }

    private mutating func readHeader() throws(CorpusError) {
        guard let header = try records.next() else {
            throw .badHeader(path: input.name, found: "an empty file")
        }
        let names = header.fields.map { String(decoding: $0, as: UTF8.self) }
        guard header.problem == nil,
            let review = names.firstIndex(of: "review"),
            let sentiment = names.firstIndex(of: "sentiment")
        else {
            throw .badHeader(path: input.name, found: "`\(names.joined(separator: ",").prefix(80))`")
        }
        reviewColumn = review
        sentimentColumn = sentiment
        columnCount = names.count
    }

    private func review(from record: CSVRecord) throws(CorpusError) -> LabeledReview {
        func malformed(_ reason: String) -> CorpusError {
            .malformedRow(path: input.name, line: record.line, reason: reason)
        }
        if let problem = record.problem { throw malformed(problem) }
        guard record.fields.count == columnCount else {
            throw malformed(
                "\(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), expected \(columnCount) as in the header; quote a review that contains a comma"
            )
        }
        let label: Int
        switch record.fields[sentimentColumn] {
        case [UInt8(ascii: "0")]: label = 0
        case [UInt8(ascii: "1")]: label = 1
        case let other:
            throw malformed("the sentiment must be 0 or 1, found `\(String(decoding: other.prefix(40), as: UTF8.self))`")
        }
        guard let text = String(validating: record.fields[reviewColumn], as: UTF8.self) else {
            throw malformed("the review is not valid UTF-8")
        }
        return LabeledReview(text: text, label: label, line: record.line)
    }
}
