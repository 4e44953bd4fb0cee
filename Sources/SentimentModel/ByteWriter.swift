import Glibc
import Support

/// Appends little-endian numbers: the model file's, and those of files that carry one (the
/// live model's resume point).
package struct ByteWriter {
    package var bytes: [UInt8] = []

    package init() {}

    package mutating func append<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func append(contentsOf other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    package mutating func padToMultiple(of alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }
}
