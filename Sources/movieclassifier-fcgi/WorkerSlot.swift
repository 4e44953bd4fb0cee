import Glibc
import PoolSupervision
import Synchronization
import Telemetry

/// One worker's cells on the scoreboard. The worker writes; the master reads, and resets the
/// slot before it forks the slot's next worker. Other workers read it too, for the pool's
/// status page.
///
/// The first cache line holds what changes with every request; then the worker's note (why it
/// could not start, or a problem it has while serving: a model file it could not load, so
/// that the master can say it in its own messages and status report); then what php-fpm's
/// status page shows of the last request (method, URI, duration, CPU, memory).
struct WorkerSlot: @unchecked Sendable {
    static let cellCount = 128
    /// The longest note, in UTF-8 bytes; a longer one is cut.
    static let noteCapacity = 56 * 8
    /// The longest request URI kept for the status page; a longer one is cut.
    static let uriCapacity = 32 * 8

    private enum Cell: Int {
        case ready, requestStartedAt, served, watermark
        /// The worker's PID, set by the master when it forked it; 0 once it was reaped.
        case pid
        /// When it was forked, in Unix seconds.
        case startedAt
        case noteSequence, noteLength
        /// The note's bytes: cells 8 to 63.
        case firstNoteCell
        /// The last request's method (up to 8 bytes, packed), body length, duration
        /// (nanoseconds), CPU time (microseconds) and the process's peak memory after it.
        case method = 64
        case contentLength, duration, cpuTime, memory
        case uriSequence, uriLength
        /// The URI's bytes: cells 72 to 103.
        case firstURICell = 72
    }

    let cells: UnsafeMutablePointer<Atomic<Int64>>

    private func store(_ cell: Cell, _ value: Int64) { (cells + cell.rawValue).pointee.store(value, ordering: .releasing) }
    private func load(_ cell: Cell) -> Int64 { (cells + cell.rawValue).pointee.load(ordering: .acquiring) }

    private var noteText: SharedText {
        SharedText(
            cells: cells, sequence: Cell.noteSequence.rawValue, length: Cell.noteLength.rawValue, first: Cell.firstNoteCell.rawValue,
            capacity: Self.noteCapacity)
    }
    private var uriText: SharedText {
        SharedText(
            cells: cells, sequence: Cell.uriSequence.rawValue, length: Cell.uriLength.rawValue, first: Cell.firstURICell.rawValue,
            capacity: Self.uriCapacity)
    }

    /// Master, before the fork.
    func reset() {
        for index in 0..<Self.cellCount { (cells + index).pointee.store(0, ordering: .sequentiallyConsistent) }
    }

    /// Master, after the fork: the slot is the worker `pid`'s, started at `startedAt` (Unix
    /// seconds).
    func assign(pid: pid_t, startedAt: Int64) {
        store(.startedAt, startedAt)
        store(.pid, Int64(pid))
    }

    /// Master, once it reaped the slot's worker: the slot lists no worker any more.
    func release() { store(.pid, 0) }

    /// Worker: the model is loaded and the worker is about to accept its first request.
    func markReady(watermark: Int64) {
        store(.watermark, watermark)
        store(.ready, 1)
    }

    /// Worker, when a connection is ready to accept (`at`, `Monotonic`).
    func requestStarted(at now: Int64) { store(.requestStartedAt, now) }

    /// Worker, when the connection turned out to be taken by another worker.
    func requestAbandoned() { store(.requestStartedAt, 0) }

    /// Worker, once the request's parameters are read: what the status page shows of it.
    func describeRequest(method: String, uri: some Collection<UInt8>, contentLength: Int) {
        var packed: UInt64 = 0
        for (shift, byte) in method.utf8.prefix(8).enumerated() { packed |= UInt64(byte) << (8 * shift) }
        store(.method, Int64(bitPattern: packed))
        store(.contentLength, Int64(contentLength))
        uriText.set(uri)
    }

    /// Worker, when the answer is complete (before its last bytes go out): the request took
    /// `duration` nanoseconds and `cpuTime` microseconds of CPU; the process's peak memory is
    /// `memory` bytes.
    func requestFinished(watermark: Int64, duration: Int64, cpuTime: Int64, memory: Int64) {
        store(.duration, duration)
        store(.cpuTime, cpuTime)
        store(.memory, memory)
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
    /// The slot's worker, or nil when the slot is free.
    var pid: pid_t? {
        let pid = load(.pid)
        return pid == 0 ? nil : pid_t(pid)
    }

    var reading: SlotReading { SlotReading(ready: isReady, requestStartedAt: requestStartedAt) }

    /// Worker: sets the note (nil clears it). Only the slot's worker writes it.
    func setNote(_ text: String?) { noteText.set((text ?? "").utf8) }

    /// The worker's note, or nil when it has none.
    var note: String? {
        let text = noteText.read()
        return text.isEmpty ? nil : text
    }

    /// The slot's worker as the status page lists it, at `now` (`Monotonic`); nil when the
    /// slot is free.
    func processStatus(now: Int64) -> ProcessStatus? {
        guard let pid else { return nil }
        let started = requestStartedAt
        let duration = started.map { now - $0 } ?? load(.duration)
        let method = withUnsafeBytes(of: UInt64(bitPattern: load(.method)).littleEndian) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        let lastDuration = load(.duration)
        return ProcessStatus(
            pid: pid, state: !isReady ? .starting : started == nil ? .idle : .running, startedAt: load(.startedAt), requests: served,
            requestDurationMicroseconds: max(0, duration) / 1000, requestMethod: method, requestURI: uriText.read(),
            contentLength: load(.contentLength),
            lastRequestCPUPercent: started == nil && lastDuration > 0 ? Double(load(.cpuTime)) * 100_000 / Double(lastDuration) : 0,
            lastRequestMemory: started == nil ? load(.memory) : 0)
    }
}
