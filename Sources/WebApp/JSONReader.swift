import Support

/// A strict JSON reader over a request body's bytes (RFC 8259): UTF-8 only, no trailing commas
/// or comments, numbers by the grammar, every escape including surrogate pairs, nesting bounded
/// (a body of 100,000 `[` must not exhaust the stack). It replaces Foundation's `JSONDecoder`
/// on the API's path, which cost more than classifying the texts it decoded.
struct JSONReader {
    /// What is wrong with a body, for the client.
    struct Failure: Error, Equatable {
        let message: String
    }

    /// Arrays and objects nested deeper than this are refused.
    static let maximumDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The value `bytes` hold, with nothing but white space around it.
    static func value(of bytes: [UInt8]) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            do {
                reader.skipWhiteSpace()
                let value = try reader.readValue()
                reader.skipWhiteSpace()
                guard reader.position == buffer.count else { throw reader.failure("text after the value") }
                return .success(value)
            } catch let error as Failure {
                return .failure(error)
            } catch {
                return .failure(Failure(message: "\(error)"))
            }
        }
        return try result.get()
    }

    private func failure(_ what: String) -> Failure {
        Failure(message: "\(what) at byte \(position)")
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhiteSpace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func readValue() throws(Failure) -> JSONValue {
        guard let byte = current else { throw failure("the end of the text where a value was expected") }
        switch byte {
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): return try readLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try readLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try readLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw failure("an unexpected character")
        }
    }

    private mutating func readLiteral(_ literal: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count, memcmpEqual(literal.utf8Start, count) else { throw failure("an unknown literal") }
        position += count
        return value
    }

    private func memcmpEqual(_ literal: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for index in 0..<count where bytes[position + index] != literal[index] { return false }
        return true
    }

    private mutating func nest() throws(Failure) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
    }

    private mutating func readArray() throws(Failure) -> JSONValue {
        try nest()
        position += 1
        var elements: [JSONValue] = []
        skipWhiteSpace()
        if current == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhiteSpace()
            elements.append(try readValue())
            skipWhiteSpace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(elements)
            default: throw failure("neither , nor ] after an element")
            }
        }
    }

    private mutating func readObject() throws(Failure) -> JSONValue {
        try nest()
        position += 1
        var members: [(name: String, value: JSONValue)] = []
        skipWhiteSpace()
        if current == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhiteSpace()
            guard current == UInt8(ascii: "\"") else { throw failure("a member without a quoted name") }
            let name = try readString()
            skipWhiteSpace()
            guard current == UInt8(ascii: ":") else { throw failure("no : after a member's name") }
            position += 1
            skipWhiteSpace()
            members.append((name, try readValue()))
            skipWhiteSpace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(members)
            default: throw failure("neither , nor } after a member")
            }
        }
    }

    /// A string, from its opening quote: runs without escapes are copied whole, then checked
    /// as UTF-8 once.
    private mutating func readString() throws(Failure) -> String {
        position += 1
        var text: [UInt8] = []
        var runStart = position
        while true {
            // Eight bytes at a time past those that need no look: a review is mostly such.
            position = ByteMask.endOfPlainJSONStringBlocks(in: bytes, from: position)
            guard let byte = current else { throw failure("a string without its closing quote") }
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                position += 1
                // An escape adds at least a byte: without one (nearly every review) the string is
                // made from the body's bytes, with no copy between.
                if !text.isEmpty { text.append(contentsOf: run) }
                guard let string = text.isEmpty ? String(validating: run, as: UTF8.self) : String(validating: text, as: UTF8.self) else {
                    throw failure("a string that is not UTF-8")
                }
                return string
            }
            if byte < 0x20 { throw failure("a control character inside a string") }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            position += 1
            try readEscape(into: &text)
            runStart = position
        }
    }

    private mutating func readEscape(into text: inout [UInt8]) throws(Failure) {
        guard let byte = current else { throw failure("a string without its closing quote") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try readHex4())
            if (0xD800...0xDBFF).contains(scalar) {
                guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw failure("a lone surrogate escape")
                }
                position += 2
                let low = UInt32(try readHex4())
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("a lone surrogate escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw failure("a lone surrogate escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("an escape of no character") }
            text.append(contentsOf: UTF8.encode(unicode)!)
        default: throw failure("an unknown escape")
        }
    }

    private mutating func readHex4() throws(Failure) -> UInt16 {
        guard bytes.count - position >= 4 else { throw failure("a \\u escape without four hex digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape without four hex digits")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// A number by the grammar (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`),
    /// converted by the standard library.
    private mutating func readNumber() throws(Failure) -> Double {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw failure("a number without digits") }
        if first == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() > 0 else { throw failure("a number without digits after its point") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw failure("a number without digits in its exponent") }
        }
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)), value.isFinite else {
            throw failure("a number out of range")
        }
        return value
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = position
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position - start
    }
}
