import Glibc

/// Streams RFC 4180 records from an `InputStream`: fields separated by `,`, records by LF or
/// CRLF, fields in `"` may hold `,`, line breaks and doubled `""`. Memory is one chunk plus
/// one record, whatever the file's size. A record that breaks the rules is still delimited
/// the way a lenient reader would delimit it, so that reading can go on after it.
public struct CSVRecordReader: Sendable {
    private let input: InputStream
    private var buffer: [UInt8]
    private var position = 0
    private var filled = 0
    private var atEnd = false
    /// The current line number (1-based).
    private var line = 1
    private var atStart = true

    public init(input: InputStream, chunkSize: Int = 1 << 18) {
        self.input = input
        buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    /// The next record, or nil at the end of the input. Blank lines are skipped, and so is a
    /// UTF-8 byte order mark at the start of the input.
    public mutating func next() throws(CorpusError) -> CSVRecord? {
        if atStart {
            atStart = false
            if try peek() == 0xEF, try peek(offset: 1) == 0xBB, try peek(offset: 2) == 0xBF { position += 3 }
        }
        while true {
            guard let first = try peek() else { return nil }
            if first == UInt8(ascii: "\n") {
                position += 1
                line += 1
                continue
            }
            if first == UInt8(ascii: "\r"), try peek(offset: 1) == UInt8(ascii: "\n") {
                position += 2
                line += 1
                continue
            }
            break
        }
        var record = CSVRecord(line: line)
        while true {
            var field: [UInt8] = []
            let terminator = try readField(into: &field, record: &record)
            record.fields.append(field)
            if terminator != UInt8(ascii: ",") { return record }
        }
    }

    /// Reads one field; returns what ended it: `,`, `\n`, or 0 for the end of the input.
    private mutating func readField(into field: inout [UInt8], record: inout CSVRecord) throws(CorpusError) -> UInt8 {
        if try peek() == UInt8(ascii: "\"") {
            position += 1
            try readQuoted(into: &field, record: &record)
        }
        while let byte = try peek() {
            position += 1
            switch byte {
            case UInt8(ascii: ","):
                return byte
            case UInt8(ascii: "\n"):
                line += 1
                return byte
            case UInt8(ascii: "\r") where try peek() == UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "\""):
                record.problem =
                    record.problem
                    ?? "a quote (\") inside a field that does not start with one; quote the whole field and double the quotes inside it"
            default:
                break
            }
            field.append(byte)
        }
        return 0
    }

    /// Reads a quoted field's contents up to and including its closing quote.
    private mutating func readQuoted(into field: inout [UInt8], record: inout CSVRecord) throws(CorpusError) {
        let startLine = line
        while true {
            guard try peek() != nil else {
                record.problem = record.problem ?? "the quoted field opened on line \(startLine) is never closed"
                return
            }
            let chunkEnd = filled
            let quote = buffer.withUnsafeBytes { bytes -> Int in
                guard let found = memchr(bytes.baseAddress! + position, Int32(UInt8(ascii: "\"")), chunkEnd - position) else {
                    return chunkEnd
                }
                return UnsafeRawPointer(found) - bytes.baseAddress!
            }
            for byte in buffer[position..<quote] where byte == UInt8(ascii: "\n") { line += 1 }
            field.append(contentsOf: buffer[position..<quote])
            position = quote
            if quote == chunkEnd { continue }
            position += 1
            if try peek() == UInt8(ascii: "\"") {
                field.append(UInt8(ascii: "\""))
                position += 1
                continue
            }
            if try !atFieldEnd() {
                record.problem = record.problem ?? "text after the closing quote of a field"
            }
            return
        }
    }

    /// Whether the next bytes end a field: `,`, a line break, or the end of the input.
    private mutating func atFieldEnd() throws(CorpusError) -> Bool {
        switch try peek() {
        case nil, UInt8(ascii: ","), UInt8(ascii: "\n"):
            return true
        case UInt8(ascii: "\r"):
            return try peek(offset: 1) == UInt8(ascii: "\n")
        default:
            return false
        }
    }

    /// The byte `offset` bytes ahead, refilling the buffer as needed; nil past the end.
    private mutating func peek(offset: Int = 0) throws(CorpusError) -> UInt8? {
        if position + offset >= filled {
            try refill(keeping: offset + 1)
            if position + offset >= filled { return nil }
        }
        return buffer[position + offset]
    }

    private mutating func refill(keeping needed: Int) throws(CorpusError) {
        guard !atEnd else { return }
        let remaining = filled - position
        if remaining > 0 && position > 0 {
            buffer.withUnsafeMutableBytes { bytes in
                _ = memmove(bytes.baseAddress!, bytes.baseAddress! + position, remaining)
            }
        }
        filled = remaining
        position = 0
        if buffer.count < needed { buffer += repeatElement(0, count: needed - buffer.count) }
        while filled < needed && !atEnd {
            let count = try buffer.withUnsafeMutableBytes { bytes in
                Result { () throws(CorpusError) in
                    try input.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[filled...]))
                }
            }.get()
            if count == 0 { atEnd = true }
            filled += count
        }
    }
}
