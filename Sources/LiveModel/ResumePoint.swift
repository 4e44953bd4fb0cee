import FeedbackStore
import Glibc
import SentimentModel
import Support

/// A live model saved part way along the feedback log, for the next worker to take up: a
/// worker that starts (after a crash, at a reload, a CGI process for its one request) resumes
/// from it instead of folding again every row stored since the model file's watermark. With a
/// hundred thousand rows pending since the last update, that took a new worker seconds, and a
/// pool whose workers kept being killed answered nothing at all.
///
/// It is a cache: losing it, or failing to write it, costs time, never an answer. It is taken up
/// only where it is exactly what the one rule gives (`LiveClassifier`): saved from the same model
/// file (its CRC-32), under the same feedback generation (no decision since changed which rows
/// count), from the same log (the row at its watermark is the one it folded last, so a database
/// replaced beside it is not taken for the one it came from), and whole (a CRC-32 of its own).
/// Workers save it each time their watermark passes a multiple of `interval`, all at the same
/// rows and so with the same bytes; one that finds it saved there already, or further along,
/// writes nothing.
///
/// The file: `MCRESUME`, the model file's CRC-32 (u32), the fingerprint of the row at the
/// watermark (u32), the generation (i64), the watermark (i64), all little-endian; the live
/// model as a model file; the CRC-32 of everything before it.
public struct ResumePoint: Sendable {
    /// Where it is kept; its folder must be writable by the workers.
    public let path: String
    /// Rows folded between saves. A save writes the whole model (6.9 MB for the bundled one, on
    /// the request that passes the mark), so that a worker that starts folds fewer rows than
    /// this itself.
    public let interval: Int64

    public static let defaultInterval: Int64 = 10_000

    public init(path: String, interval: Int64 = defaultInterval) {
        precondition(interval > 0, "a resume point is saved every so many rows")
        self.path = path
        self.interval = interval
    }

    /// The resume point of a log's workers: beside an SQLite database (`<database>-resume`, in
    /// the folder SQLite needs writable anyway), beside the model file for a log that shares
    /// the model between hosts (whose workers write that file's copies).
    public init(for store: any FeedbackLog, modelPath: String, interval: Int64 = defaultInterval) {
        let base = (store as? FeedbackStore)?.path ?? modelPath
        self.init(path: base + "-resume", interval: interval)
    }

    /// What a saved model was folded from, and how far.
    struct Stamp: Equatable {
        var modelFile: UInt32
        var lastRow: UInt32
        var generation: Int64
        var watermark: Int64

        /// Whether `log` holds the row the model was saved at, as it was: the point came from
        /// this log, not from one replaced by it.
        func isFrom(_ log: any FeedbackLog) -> Bool {
            guard let row = try? log.row(id: watermark) else { return false }
            return ResumePoint.fingerprint(of: row) == lastRow
        }
    }

    static let magic = Array("MCRESUME".utf8)
    static let headerSize = 32

    /// The live model resumed from this point: a model loaded from the file whose CRC-32 is
    /// `modelFile`, under `generation`, with its rows up to the point's watermark folded in. Nil
    /// when there is no point past `watermark` (the loaded file's) that fits, or it is damaged.
    /// The file is read from a mapping, as a model file is loaded: no copy of its megabytes
    /// stays on the worker's heap.
    func take(modelFile: UInt32, generation: Int64, after watermark: Int64, log: any FeedbackLog) -> SentimentClassifier? {
        guard let stamp = stamp(), stamp.modelFile == modelFile, stamp.generation == generation, stamp.watermark > watermark,
            let file = try? AtomicFile.map(path)
        else { return nil }
        return withExtendedLifetime(file) {
            let bytes = file.bytes
            guard bytes.count > Self.headerSize + 4, Self.checkedStamp(of: bytes) == stamp, stamp.isFrom(log),
                let model = try? ModelFile.decode(UnsafeRawBufferPointer(rebasing: bytes[Self.headerSize..<(bytes.count - 4)]), path: path),
                model.watermark == stamp.watermark
            else { return nil }
            return model
        }
    }

    /// Saves `classifier`, loaded from the file whose CRC-32 is `modelFile` and brought under
    /// `generation` to `lastRow`, the row at its watermark in `log`; nothing when the point
    /// holds a model of the same file and generation from `log` as far along or further (another
    /// worker passed the row first, or this one is catching up behind the others).
    func save(
        _ classifier: SentimentClassifier, modelFile: UInt32, generation: Int64, lastRow: FeedbackRow, log: any FeedbackLog
    ) throws(AtomicFile.Failure) {
        precondition(lastRow.id == classifier.watermark, "the row at the watermark")
        if let saved = stamp(), saved.modelFile == modelFile, saved.generation == generation, saved.watermark >= lastRow.id,
            saved.isFrom(log)
        {
            return
        }
        var writer = ByteWriter()
        writer.append(contentsOf: Self.magic)
        writer.append(modelFile)
        writer.append(Self.fingerprint(of: lastRow))
        writer.append(generation)
        writer.append(lastRow.id)
        writer.append(contentsOf: ModelFile.encode(classifier))
        writer.append(writer.bytes.withUnsafeBytes(ModelFile.checksum(of:)))
        try AtomicFile.write(writer.bytes, to: path)
    }

    /// The stamp at the front of the file, unchecked: a read of its first bytes, to tell
    /// whether the rest is worth reading.
    func stamp() -> Stamp? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: Self.headerSize)
        guard header.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, $0.count, 0) }) == Self.headerSize else { return nil }
        return header.withUnsafeBytes { Self.stamp(inHeader: $0) }
    }

    /// The stamp of a whole file's bytes, when its checksum matches them.
    private static func checkedStamp(of bytes: UnsafeRawBufferPointer) -> Stamp? {
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 4, as: UInt32.self))
        guard ModelFile.checksum(of: UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 4)])) == stored else { return nil }
        return stamp(inHeader: bytes)
    }

    private static func stamp(inHeader bytes: UnsafeRawBufferPointer) -> Stamp? {
        guard bytes.count >= headerSize, bytes.prefix(magic.count).elementsEqual(magic) else { return nil }
        var reader = ByteReader(bytes: bytes, offset: magic.count)
        return Stamp(modelFile: reader.read(), lastRow: reader.read(), generation: reader.read(), watermark: reader.read())
    }

    /// What tells the row at a watermark from another log's row of the same id: a hash of its
    /// review, seeded with its id and label.
    static func fingerprint(of row: FeedbackRow) -> UInt32 {
        let seed = UInt32(truncatingIfNeeded: row.id) ^ UInt32(truncatingIfNeeded: row.sentiment) &* 0x9E37_79B9
        return UInt32(bitPattern: MurmurHash3.hash32(row.review, seed: seed))
    }
}
