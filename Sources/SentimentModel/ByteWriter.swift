import Glibc
import Support

/// Appends little-endian numbers.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func append<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(contentsOf other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    mutating func padToMultiple(of alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }
}
