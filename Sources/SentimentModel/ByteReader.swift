/// Reads little-endian numbers from bytes that outlive it; the caller has checked the length.
package struct ByteReader {
    package let bytes: UnsafeRawBufferPointer
    package var offset: Int

    package init(bytes: UnsafeRawBufferPointer, offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    package mutating func read<Integer: FixedWidthInteger>() -> Integer {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self)
        offset += MemoryLayout<Integer>.size
        return Integer(littleEndian: value)
    }

    package mutating func take(_ count: Int) -> [UInt8] {
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    package mutating func skip(_ count: Int) {
        offset += count
    }
}
