import CZlib
import Glibc
import Support

/// The model file: versioned, little-endian, sparse, checksummed; loading it only reads numbers,
/// so, unlike the book's pickle, a model file cannot run code. `docs/model-format.md` is the
/// byte-level specification.
public enum ModelFile {
    /// The format version this build writes and reads.
    public static let version: UInt32 = 1
    /// `\x89MCM\r\n\x1a\n`: a non-ASCII first byte and the line-ending bytes catch a file
    /// mangled by a text-mode transfer, as PNG's signature does.
    static let magic: [UInt8] = [0x89, 0x4D, 0x43, 0x4D, 0x0D, 0x0A, 0x1A, 0x0A]
    static let headerSize = 104
    static let labelFieldSize = 16
    /// Tokenizer variant 1: the book's tokenizer as scikit-learn's HashingVectorizer runs it.
    static let bookTokenizer: UInt8 = 1

    /// Saves atomically: a reader sees the old file or the new one, never part of one.
    public static func save(_ classifier: SentimentClassifier, to path: String) throws(ModelFileError) {
        do {
            try AtomicFile.write(encode(classifier), to: path)
        } catch {
            throw .unwritable(error)
        }
    }

    /// Loads from a read-only mapping of the file: decoding reads it once, front to back, so
    /// the pages come straight from the page cache without a copy.
    public static func load(from path: String) throws(ModelFileError) -> SentimentClassifier {
        let file: MappedFile
        do {
            file = try AtomicFile.map(path)
        } catch {
            throw .unreadable(error)
        }
        return try withExtendedLifetime(file) { () throws(ModelFileError) in
            try decode(file.bytes, path: path)
        }
    }

    /// The file's bytes. Only nonzero weights are stored; the weights are stored raw, with the
    /// scale beside them, so that training resumes bit for bit.
    public static func encode(_ classifier: SentimentClassifier) -> [UInt8] {
        let regression = classifier.regression
        var columns: [UInt32] = []
        var values: [Double] = []
        regression.table.forEachInColumnOrder { column, weight in
            if weight != 0 {
                columns.append(UInt32(column))
                values.append(weight)
            }
        }
        var writer = ByteWriter()
        writer.append(contentsOf: magic)
        writer.append(version)
        writer.append(UInt32(regression.featureCount))
        writer.append(contentsOf: [bookTokenizer, 0, 0, 0])
        writer.append(classifier.vectorizer.tokenizer.stopWords.fingerprint)
        writer.append(regression.alpha.bitPattern)
        writer.append(regression.samplesSeen)
        writer.append(regression.scale.bitPattern)
        writer.append(regression.intercept.bitPattern)
        writer.append(UInt64(bitPattern: classifier.watermark))
        for name in classifier.labelNames {
            var field = Array(name.utf8.prefix(labelFieldSize))
            field += repeatElement(0, count: labelFieldSize - field.count)
            writer.append(contentsOf: field)
        }
        writer.append(UInt32(columns.count))
        writer.append(UInt32(0))
        for column in columns { writer.append(column) }
        writer.padToMultiple(of: 8)
        for value in values { writer.append(value.bitPattern) }
        writer.append(writer.bytes.withUnsafeBytes(checksum))
        return writer.bytes
    }

    /// Parses and validates a model file's bytes held in memory; `path` only names the file in
    /// errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(ModelFileError) -> SentimentClassifier {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(ModelFileError) in try decode(raw, path: path) }
        }.get()
    }

    /// Parses and validates `bytes`; `path` only names the file in errors.
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws(ModelFileError) -> SentimentClassifier {
        guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else {
            if !bytes.isEmpty && magic.starts(with: bytes) {
                throw .truncated(path: path, expectedBytes: headerSize + 4, actualBytes: bytes.count)
            }
            throw .notAModelFile(path: path, hint: hint(forForeign: bytes))
        }
        guard bytes.count >= headerSize + 4 else {
            throw .truncated(path: path, expectedBytes: headerSize + 4, actualBytes: bytes.count)
        }
        var reader = ByteReader(bytes: bytes, offset: magic.count)
        let fileVersion: UInt32 = reader.read()
        guard fileVersion == version else { throw .unsupportedVersion(path: path, version: fileVersion) }
        let featureCount = Int(reader.read() as UInt32)
        let tokenizer: UInt8 = reader.read()
        reader.skip(3)
        let stopWordsFingerprint: UInt32 = reader.read()
        let alpha = Double(bitPattern: reader.read())
        let samplesSeen: UInt64 = reader.read()
        let scale = Double(bitPattern: reader.read())
        let intercept = Double(bitPattern: reader.read())
        let watermark = Int64(bitPattern: reader.read())
        let labelFields = [reader.take(labelFieldSize), reader.take(labelFieldSize)]
        let nonzeroCount = Int(reader.read() as UInt32)
        reader.skip(4)

        let valuesOffset = (headerSize + 4 * nonzeroCount + 7) & ~7
        let expected = valuesOffset + 8 * nonzeroCount + 4
        if bytes.count < expected {
            throw .truncated(path: path, expectedBytes: expected, actualBytes: bytes.count)
        }
        if bytes.count > expected {
            throw .trailingBytes(path: path, expectedBytes: expected, actualBytes: bytes.count)
        }
        var trailer = ByteReader(bytes: bytes, offset: expected - 4)
        guard trailer.read() == checksum(UnsafeRawBufferPointer(rebasing: bytes[..<(expected - 4)])) else {
            throw .checksumMismatch(path: path)
        }

        guard tokenizer == bookTokenizer else {
            throw .incompatible(path: path, detail: "it uses tokenizer variant \(tokenizer), this build knows variant \(bookTokenizer) (the book's)")
        }
        let stopWords = StopWords.english
        guard stopWordsFingerprint == stopWords.fingerprint else {
            throw .incompatible(
                path: path,
                detail:
                    "it was trained with a different stop-word list (fingerprint \(hex(stopWordsFingerprint)), this build has \(hex(stopWords.fingerprint)))"
            )
        }
        guard featureCount > 0 else { throw .invalid(path: path, detail: "the feature count is 0") }
        guard alpha.isFinite && alpha > 0 else { throw .invalid(path: path, detail: "alpha is \(alpha)") }
        guard scale.isFinite && scale > 0 else { throw .invalid(path: path, detail: "the weight scale is \(scale)") }
        guard intercept.isFinite else { throw .invalid(path: path, detail: "the intercept is \(intercept)") }
        guard watermark >= 0 else { throw .invalid(path: path, detail: "the feedback watermark is \(watermark)") }
        var labelNames: [String] = []
        for field in labelFields {
            let name = field.prefix { $0 != 0 }
            guard !name.isEmpty, let text = String(validating: name, as: UTF8.self) else {
                throw .invalid(path: path, detail: "a label name is empty or not UTF-8")
            }
            labelNames.append(text)
        }

        // The columns ascend, so the table fills front to back. A bad entry stops the filling,
        // and the half-built table is dropped.
        var problem: ModelFileError?
        let weights = WeightTable(featureCount: featureCount, expectedCount: nonzeroCount) { insert in
            var columnReader = ByteReader(bytes: bytes, offset: headerSize)
            var valueReader = ByteReader(bytes: bytes, offset: valuesOffset)
            var previous = -1
            for _ in 0..<nonzeroCount {
                let column = Int(columnReader.read() as UInt32)
                let weight = Double(bitPattern: valueReader.read())
                guard column > previous, column < featureCount else {
                    problem = .invalid(
                        path: path, detail: "weight columns are not ascending within 0..<\(featureCount) (column \(column) after \(previous))")
                    return
                }
                guard weight.isFinite else {
                    problem = .invalid(path: path, detail: "the weight of column \(column) is \(weight)")
                    return
                }
                insert(column, weight)
                previous = column
            }
        }
        if let problem { throw problem }
        let regression = LogisticRegression(table: weights, scale: scale, intercept: intercept, samplesSeen: samplesSeen, alpha: alpha)
        return SentimentClassifier(
            vectorizer: HashingVectorizer(featureCount: featureCount, tokenizer: BookTokenizer(stopWords: stopWords)),
            regression: regression,
            labelNames: labelNames,
            watermark: watermark
        )
    }

    /// CRC-32 (zlib's), of everything before the trailer.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(crc32_z(0, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count))
    }

    private static func hint(forForeign bytes: UnsafeRawBufferPointer) -> String {
        if bytes.starts(with: [0x93] + Array("NUMPY".utf8)) {
            return "It is a NumPy array: convert scikit-learn weights with `movieclassifier import-sklearn`."
        }
        if bytes.first == 0x80 {
            return
                "It looks like a Python pickle (the book's classifier.pkl), which is never loaded because unpickling can run code: save its coef_ and intercept_ with numpy.save and run `movieclassifier import-sklearn`."
        }
        if bytes.isEmpty { return "The file is empty." }
        return "Its first bytes are not the model signature."
    }

    private static func hex(_ value: UInt32) -> String {
        "0x" + String(value, radix: 16)
    }
}
