import CZlib
import Glibc
import Support

/// Reads little-endian numbers from bytes that outlive it; the caller has checked the length.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    mutating func read<Integer: FixedWidthInteger>() -> Integer {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self)
        offset += MemoryLayout<Integer>.size
        return Integer(littleEndian: value)
    }

    mutating func take(_ count: Int) -> [UInt8] {
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func skip(_ count: Int) {
        offset += count
    }
}

extension ByteReader {
    /// An unsigned LEB128 number of at most 32 bits ending before `end`; nil when it does not.
    mutating func readLEB128(before end: Int) -> UInt32? {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        while offset < end && shift < 32 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return shift == 28 && byte > 0x0F ? nil : value }
            shift += 7
        }
        return nil
    }
}
