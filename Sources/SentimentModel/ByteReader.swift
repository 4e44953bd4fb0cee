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
