import Support

/// A float64 array read from NumPy's `.npy` format (versions 1, 2 and 3), the files
/// `numpy.save` writes. Only the header's three keys are interpreted; nothing is evaluated.
public struct NumpyArray: Sendable {
    public let shape: [Int]
    public let values: [Double]

    /// Why an `.npy` file was refused.
    public enum Error: Swift.Error, CustomStringConvertible, Sendable {
        case unreadable(AtomicFile.Failure)
        case notNumpy(path: String)
        case badHeader(path: String, detail: String)
        case unsupportedType(path: String, descr: String)
        case truncated(path: String, expectedBytes: Int, actualBytes: Int)

        public var description: String {
            switch self {
            case .unreadable(let failure):
                return failure.description
            case .notNumpy(let path):
                return "\(path): not a NumPy .npy file (it must be written by numpy.save)"
            case .badHeader(let path, let detail):
                return "\(path): unreadable .npy header: \(detail)"
            case .unsupportedType(let path, let descr):
                return "\(path): the array holds '\(descr)', expected float64 ('<f8'); save it with numpy.save(path, array.astype('float64'))"
            case .truncated(let path, let expected, let actual):
                return "\(path): truncated: the header announces \(expected) bytes, the file has \(actual)"
            }
        }
    }

    public init(contentsOf path: String) throws(Error) {
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            throw .unreadable(error)
        }
        try self.init(bytes: bytes, path: path)
    }

    public init(bytes: [UInt8], path: String) throws(Error) {
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, bytes.starts(with: magic) else { throw .notNumpy(path: path) }
        let major = bytes[6]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw .notNumpy(path: path) }
            headerStart = 12
            headerLength = bytes[8..<12].reversed().reduce(0) { $0 << 8 | Int($1) }
        default:
            throw .badHeader(path: path, detail: "format version \(major) is unknown")
        }
        let dataOffset = headerStart + headerLength
        guard bytes.count >= dataOffset else {
            throw .truncated(path: path, expectedBytes: dataOffset, actualBytes: bytes.count)
        }
        let header = String(decoding: bytes[headerStart..<dataOffset], as: UTF8.self)
        guard let descr = Self.value(of: "descr", in: header)?.trimmingQuotes else {
            throw .badHeader(path: path, detail: "no 'descr'")
        }
        guard let order = Self.value(of: "fortran_order", in: header) else {
            throw .badHeader(path: path, detail: "no 'fortran_order'")
        }
        guard let shapeText = Self.value(of: "shape", in: header), let shape = Self.parseShape(shapeText) else {
            throw .badHeader(path: path, detail: "no readable 'shape'")
        }
        let bigEndian: Bool
        switch descr {
        case "<f8": bigEndian = false
        case ">f8": bigEndian = true
        default: throw .unsupportedType(path: path, descr: descr)
        }
        let count = shape.reduce(1, *)
        let expected = dataOffset + 8 * count
        guard bytes.count >= expected else {
            throw .truncated(path: path, expectedBytes: expected, actualBytes: bytes.count)
        }
        // A 1-row or 1-column matrix has the same values in either order; larger ones are
        // flattened in C order only.
        if order == "True" && shape.filter({ $0 > 1 }).count > 1 {
            throw .badHeader(path: path, detail: "Fortran-ordered matrices are not supported; save numpy.ascontiguousarray(array)")
        }
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                let bits = raw.loadUnaligned(fromByteOffset: dataOffset + 8 * index, as: UInt64.self)
                values[index] = Double(bitPattern: bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits))
            }
        }
        self.shape = shape
        self.values = values
    }

    /// The text after `'key':` up to the next top-level `,` or `}` (a tuple counts as one value).
    private static func value(of key: String, in header: String) -> String? {
        guard let keyRange = header.firstRange(of: "'\(key)':") else { return nil }
        var depth = 0
        var end = keyRange.upperBound
        while end < header.endIndex {
            let character = header[end]
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth == 0 && (character == "," || character == "}") { break }
            end = header.index(after: end)
        }
        return String(header[keyRange.upperBound..<end]).trimmingCharacters(in: " ")
    }

    private static func parseShape(_ text: String) -> [Int]? {
        guard text.hasPrefix("("), text.hasSuffix(")") else { return nil }
        var dimensions: [Int] = []
        for part in text.dropFirst().dropLast().split(separator: ",") {
            let trimmed = String(part).trimmingCharacters(in: " ")
            if trimmed.isEmpty { continue }
            guard let dimension = Int(trimmed), dimension >= 0 else { return nil }
            dimensions.append(dimension)
        }
        return dimensions
    }
}
