import PoolSupervision
import Synchronization

/// One worker's cells on the scoreboard. The worker writes; the master reads, and resets the
/// slot before it forks the slot's next worker.
///
/// The first cache line holds what changes with every request; the rest a short text, the
/// worker's note: why it could not start, or a problem it has while serving (a model file it
/// could not load), so that the master can say it in its own messages and status report.
struct WorkerSlot: @unchecked Sendable {
    static let cellCount = 64
    /// The note's bytes start at this cell, eight to a cell.
    private static let firstNoteCell = 8
    /// The longest note, in UTF-8 bytes; a longer one is cut.
    static let noteCapacity = (cellCount - firstNoteCell) * 8

    private enum Cell: Int {
        case ready, requestStartedAt, served, watermark
        /// Odd while the worker rewrites the note (a sequence lock: the master reads again).
        case noteSequence
        /// The note's length in bytes; 0 for none.
        case noteLength
    }

    let cells: UnsafeMutablePointer<Atomic<Int64>>

    private func store(_ cell: Cell, _ value: Int64) { (cells + cell.rawValue).pointee.store(value, ordering: .releasing) }
    private func load(_ cell: Cell) -> Int64 { (cells + cell.rawValue).pointee.load(ordering: .acquiring) }

    /// Master, before the fork.
    func reset() {
        for index in 0..<Self.cellCount { (cells + index).pointee.store(0, ordering: .sequentiallyConsistent) }
    }

    /// Worker: the model is loaded and the worker is about to accept its first request.
    func markReady(watermark: Int64) {
        store(.watermark, watermark)
        store(.ready, 1)
    }

    /// Worker, when a request has been accepted.
    func requestStarted() { store(.requestStartedAt, Monotonic.now()) }

    /// Worker, when the connection turned out to be taken by another worker.
    func requestAbandoned() { store(.requestStartedAt, 0) }

    /// Worker, when the answer has been sent.
    func requestFinished(watermark: Int64) {
        store(.requestStartedAt, 0)
        store(.served, load(.served) + 1)
        store(.watermark, watermark)
    }

    var isReady: Bool { load(.ready) != 0 }
    /// When the request in progress started (`Monotonic`), or nil when the worker is idle.
    var requestStartedAt: Int64? {
        let started = load(.requestStartedAt)
        return started == 0 ? nil : started
    }
    var served: Int64 { load(.served) }
    /// The id of the last feedback row the worker's live model has applied.
    var watermark: Int64 { load(.watermark) }

    var reading: SlotReading { SlotReading(ready: isReady, requestStartedAt: requestStartedAt) }

    /// Worker: sets the note (nil clears it). Only the slot's worker writes it.
    func setNote(_ text: String?) {
        let bytes = Array((text ?? "").utf8.prefix(Self.noteCapacity))
        let sequence = (cells + Cell.noteSequence.rawValue).pointee.load(ordering: .sequentiallyConsistent)
        (cells + Cell.noteSequence.rawValue).pointee.store(sequence + 1, ordering: .sequentiallyConsistent)
        for cell in 0..<((bytes.count + 7) / 8) {
            var packed: UInt64 = 0
            for (shift, byte) in bytes[(cell * 8)..<min(bytes.count, cell * 8 + 8)].enumerated() { packed |= UInt64(byte) << (8 * shift) }
            (cells + Self.firstNoteCell + cell).pointee.store(Int64(bitPattern: packed), ordering: .sequentiallyConsistent)
        }
        (cells + Cell.noteLength.rawValue).pointee.store(Int64(bytes.count), ordering: .sequentiallyConsistent)
        (cells + Cell.noteSequence.rawValue).pointee.store(sequence + 2, ordering: .sequentiallyConsistent)
    }

    /// Master: the worker's note, or nil when it has none. A worker killed while it wrote
    /// leaves the sequence odd for good: after a few tries the text is taken as it is.
    var note: String? {
        for attempt in 1...100 {
            let before = (cells + Cell.noteSequence.rawValue).pointee.load(ordering: .sequentiallyConsistent)
            let length = Int(
                min(max((cells + Cell.noteLength.rawValue).pointee.load(ordering: .sequentiallyConsistent), 0), Int64(Self.noteCapacity)))
            var bytes: [UInt8] = []
            bytes.reserveCapacity(length)
            for cell in 0..<((length + 7) / 8) {
                let packed = UInt64(bitPattern: (cells + Self.firstNoteCell + cell).pointee.load(ordering: .sequentiallyConsistent))
                for shift in 0..<min(8, length - cell * 8) { bytes.append(UInt8(truncatingIfNeeded: packed >> (8 * shift))) }
            }
            let after = (cells + Cell.noteSequence.rawValue).pointee.load(ordering: .sequentiallyConsistent)
            if (before == after && before % 2 == 0) || attempt == 100 { return length == 0 ? nil : String(decoding: bytes, as: UTF8.self) }
        }
        return nil
    }
}
