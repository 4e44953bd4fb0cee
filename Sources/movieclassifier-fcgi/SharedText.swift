import Synchronization

/// A short text in shared cells, eight UTF-8 bytes to a cell, that one process writes and
/// others read without a lock: a sequence count, odd while the writer rewrites it, makes a
/// reader that caught it half written read again.
struct SharedText: @unchecked Sendable {
    let cells: UnsafeMutablePointer<Atomic<Int64>>
    /// The cells of the sequence count and of the length, and the first of the bytes.
    let sequence: Int
    let length: Int
    let first: Int
    /// The longest text, in bytes; a longer one is cut.
    let capacity: Int

    /// Only one process writes a given text. Packs the bytes straight into the cells, with no
    /// copy: a worker sets its request's URI on every request.
    func set(_ bytes: some Collection<UInt8>) {
        let count = min(bytes.count, capacity)
        let sequenceCount = (cells + sequence).pointee.load(ordering: .sequentiallyConsistent)
        (cells + sequence).pointee.store(sequenceCount + 1, ordering: .sequentiallyConsistent)
        var packed: UInt64 = 0
        var written = 0
        for byte in bytes.prefix(count) {
            packed |= UInt64(byte) << (8 * (written % 8))
            written += 1
            if written % 8 == 0 {
                (cells + first + written / 8 - 1).pointee.store(Int64(bitPattern: packed), ordering: .sequentiallyConsistent)
                packed = 0
            }
        }
        if written % 8 != 0 { (cells + first + written / 8).pointee.store(Int64(bitPattern: packed), ordering: .sequentiallyConsistent) }
        (cells + length).pointee.store(Int64(count), ordering: .sequentiallyConsistent)
        (cells + sequence).pointee.store(sequenceCount + 2, ordering: .sequentiallyConsistent)
    }

    /// The text, empty when none was set. A writer killed while it wrote leaves the sequence
    /// odd for good: after a few tries the text is taken as it is.
    func read() -> String {
        for attempt in 1...100 {
            let before = (cells + sequence).pointee.load(ordering: .sequentiallyConsistent)
            let count = Int(min(max((cells + length).pointee.load(ordering: .sequentiallyConsistent), 0), Int64(capacity)))
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count)
            for cell in 0..<((count + 7) / 8) {
                let packed = UInt64(bitPattern: (cells + first + cell).pointee.load(ordering: .sequentiallyConsistent))
                for shift in 0..<min(8, count - cell * 8) { bytes.append(UInt8(truncatingIfNeeded: packed >> (8 * shift))) }
            }
            let after = (cells + sequence).pointee.load(ordering: .sequentiallyConsistent)
            if (before == after && before % 2 == 0) || attempt == 100 { return String(decoding: bytes, as: UTF8.self) }
        }
        return ""
    }
}
