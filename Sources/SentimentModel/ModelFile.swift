import CLibdeflate
import Glibc
import Support

/// The model file: versioned, little-endian, sparse, checksummed; loading it only reads numbers,
/// so, unlike the book's pickle, a model file cannot run code. `docs/model-format.md` is the
/// byte-level specification.
public enum ModelFile {
    /// The format version of the book's variant: what it has always been, so that `train
    /// --variant book` writes the same bytes as ever.
    public static let bookVersion: UInt32 = 1
    /// The format version of the n-gram variant: its columns as a bitmap, its scales and
    /// weights side by side, as a table holds them in memory.
    public static let ngramVersion: UInt32 = 3
    /// The n-gram variant's first format version, read and no longer written: its columns as
    /// LEB128 gaps.
    static let ngramGapsVersion: UInt32 = 2
    /// The versions this build reads.
    public static let versions: ClosedRange<UInt32> = 1...3
    /// `\x89MCM\r\n\x1a\n`: a non-ASCII first byte and the line-ending bytes catch a file
    /// mangled by a text-mode transfer, as PNG's signature does.
    static let magic: [UInt8] = [0x89, 0x4D, 0x43, 0x4D, 0x0D, 0x0A, 0x1A, 0x0A]
    static let headerSize = 104
    /// Version 2's header: version 1's and the training record.
    static let ngramHeaderSize = 160
    static let labelFieldSize = 16
    /// Tokenizer variant 1: the book's tokenizer as scikit-learn's HashingVectorizer runs it.
    static let bookTokenizer: UInt8 = 1
    /// Tokenizer variant 2: `NegationTokenizer`, its tokens in two views (marked and plain), its
    /// terms hashed by their bytes (`TermHashing.termBytes`).
    static let negationTokenizer: UInt8 = 2
    /// Tokenizer variant 3: the same tokens and views, terms hashed by their tokens' keys
    /// (`TermHashing.tokenKeys`). A build that predates it refuses the file by this byte.
    static let negationTokenizerTokenKeys: UInt8 = 3

    /// The tokenizer variant byte of an n-gram model whose terms are hashed as `hashing`.
    static func tokenizerVariant(of hashing: TermHashing) -> UInt8 {
        switch hashing {
        case .termBytes: negationTokenizer
        case .tokenKeys: negationTokenizerTokenKeys
        }
    }
    /// Term value 1: `ln(1 + count)`.
    static let logCountTerms: UInt8 = 1
    /// Feature scale 1: a binary32 per stored column (the Naive Bayes log-count ratio).
    static let columnFeatureScales: UInt8 = 1

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
        try loadWithChecksum(from: path).classifier
    }

    /// Loads, and returns the file's CRC-32 too (its trailer, checked): what identifies the
    /// file's contents, as a model version names them.
    public static func loadWithChecksum(from path: String) throws(ModelFileError) -> (classifier: SentimentClassifier, checksum: UInt32) {
        let file: MappedFile
        do {
            file = try AtomicFile.map(path)
        } catch {
            throw .unreadable(error)
        }
        return try withExtendedLifetime(file) { () throws(ModelFileError) in
            let classifier = try decode(file.bytes, path: path)
            // A file that decodes ends in its checksum.
            return (classifier, UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: file.bytes.count - 4, as: UInt32.self)))
        }
    }

    /// The file's bytes. Only nonzero weights are stored; the weights are stored raw, with the
    /// scale beside them, so that training resumes bit for bit.
    public static func encode(_ classifier: SentimentClassifier) -> [UInt8] {
        switch classifier.vectorizer {
        case .book(let vectorizer): encodeBook(classifier, vectorizer: vectorizer)
        case .ngram: encodeNGrams(classifier)
        }
    }

    private static func encodeBook(_ classifier: SentimentClassifier, vectorizer: HashingVectorizer) -> [UInt8] {
        let regression = classifier.regression
        var columns: [UInt32] = []
        var values: [Double] = []
        regression.table.forEachEntryInColumnOrder { column, _, weight in
            if weight != 0 {
                columns.append(UInt32(column))
                values.append(weight)
            }
        }
        var writer = ByteWriter()
        writer.append(contentsOf: magic)
        writer.append(bookVersion)
        writer.append(UInt32(regression.featureCount))
        writer.append(contentsOf: [bookTokenizer, 0, 0, 0])
        writer.append(vectorizer.tokenizer.stopWords.fingerprint)
        appendState(of: classifier, to: &writer)
        writer.append(UInt32(columns.count))
        writer.append(UInt32(0))
        for column in columns { writer.append(column) }
        writer.padToMultiple(of: 8)
        for value in values { writer.append(value.bitPattern) }
        writer.append(writer.bytes.withUnsafeBytes(checksum(of:)))
        return writer.bytes
    }

    /// Version 3: every column with a feature scale (its weight may be 0), the columns as a
    /// bitmap, then each column's scale and raw weight side by side, both binary32 (the table
    /// keeps this variant's weights rounded to binary32, so they are stored exactly): the layout
    /// of the table in memory, which a load copies rather than rebuilds.
    private static func encodeNGrams(_ classifier: SentimentClassifier) -> [UInt8] {
        let regression = classifier.regression
        var bitmap = [UInt64](repeating: 0, count: regression.featureCount / 64)
        var entries: [UInt32] = []
        regression.table.forEachEntryInColumnOrder { column, featureScale, weight in
            bitmap[column >> 6] |= 1 << UInt64(column & 63)
            entries.append(featureScale.bitPattern)
            entries.append(Float(weight).bitPattern)
        }
        let training =
            classifier.training
            ?? TrainingRecord(rows: 0, epochs: 0, minimumDocuments: 0, minimumTrigramDocuments: 0, smoothing: 0, dropout: 0, initialRate: 0, seed: 0)
        var writer = ByteWriter()
        writer.append(contentsOf: magic)
        writer.append(ngramVersion)
        writer.append(UInt32(regression.featureCount))
        guard case .ngram(let vectorizer) = classifier.vectorizer else { preconditionFailure("an n-gram model has an n-gram vectorizer") }
        writer.append(contentsOf: [tokenizerVariant(of: vectorizer.hashing), UInt8(NGramVectorizer.order), logCountTerms, columnFeatureScales])
        writer.append(UInt32(0))
        appendState(of: classifier, to: &writer)
        writer.append(UInt32(entries.count / 2))
        writer.append(UInt32(8 * bitmap.count))
        writer.append(training.rows)
        writer.append(training.epochs)
        writer.append(training.minimumDocuments)
        writer.append(training.minimumTrigramDocuments)
        writer.append(UInt32(0))
        writer.append(training.smoothing.bitPattern)
        writer.append(training.dropout.bitPattern)
        writer.append(training.initialRate.bitPattern)
        writer.append(training.seed)
        for word in bitmap { writer.append(word) }
        for entry in entries { writer.append(entry) }
        writer.append(writer.bytes.withUnsafeBytes(checksum(of:)))
        return writer.bytes
    }

    /// The fields at offsets 24..<96, the same in both versions.
    private static func appendState(of classifier: SentimentClassifier, to writer: inout ByteWriter) {
        let regression = classifier.regression
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
    }

    /// Parses and validates a model file's bytes held in memory; `path` only names the file in
    /// errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(ModelFileError) -> SentimentClassifier {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(ModelFileError) in try decode(raw, path: path) }
        }.get()
    }

    /// Parses and validates `bytes`; `path` only names the file in errors.
    package static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws(ModelFileError) -> SentimentClassifier {
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
        guard versions.contains(fileVersion) else { throw .unsupportedVersion(path: path, version: fileVersion) }
        let featureCount = Int(reader.read() as UInt32)
        let variantBytes = reader.take(4)
        let stopWordsFingerprint: UInt32 = reader.read()
        let alpha = Double(bitPattern: reader.read())
        let samplesSeen: UInt64 = reader.read()
        let scale = Double(bitPattern: reader.read())
        let intercept = Double(bitPattern: reader.read())
        let watermark = Int64(bitPattern: reader.read())
        let labelFields = [reader.take(labelFieldSize), reader.take(labelFieldSize)]
        let storedCount = Int(reader.read() as UInt32)
        // Version 2: the bytes of the column gaps; version 3: of the column bitmap.
        let columnBytes = Int(reader.read() as UInt32)

        // The layout, and so the length, from the header alone.
        let columnsOffset: Int
        let scalesOffset: Int
        let valuesOffset: Int
        switch fileVersion {
        case bookVersion:
            columnsOffset = headerSize
            scalesOffset = columnsOffset
            valuesOffset = (headerSize + 4 * storedCount + 7) & ~7
        case ngramGapsVersion:
            columnsOffset = ngramHeaderSize
            scalesOffset = (ngramHeaderSize + columnBytes + 3) & ~3
            valuesOffset = scalesOffset + 4 * storedCount
        default:
            // The entries: scale and weight side by side from `scalesOffset`.
            columnsOffset = ngramHeaderSize
            scalesOffset = ngramHeaderSize + columnBytes
            valuesOffset = scalesOffset + 4 * storedCount
        }
        if fileVersion != bookVersion && bytes.count < ngramHeaderSize + 4 {
            throw .truncated(path: path, expectedBytes: ngramHeaderSize + 4, actualBytes: bytes.count)
        }
        let expected = valuesOffset + (fileVersion == bookVersion ? 8 : 4) * storedCount + 4
        if bytes.count < expected {
            throw .truncated(path: path, expectedBytes: expected, actualBytes: bytes.count)
        }
        if bytes.count > expected {
            throw .trailingBytes(path: path, expectedBytes: expected, actualBytes: bytes.count)
        }
        var trailer = ByteReader(bytes: bytes, offset: expected - 4)
        guard trailer.read() == checksum(of: UnsafeRawBufferPointer(rebasing: bytes[..<(expected - 4)])) else {
            throw .checksumMismatch(path: path)
        }

        let vectorizer: TextVectorizer
        if fileVersion == bookVersion {
            guard variantBytes[0] == bookTokenizer else {
                throw .incompatible(
                    path: path, detail: "it uses tokenizer variant \(variantBytes[0]), this build knows variant \(bookTokenizer) (the book's)")
            }
            let stopWords = StopWords.english
            guard stopWordsFingerprint == stopWords.fingerprint else {
                throw .incompatible(
                    path: path,
                    detail:
                        "it was trained with a different stop-word list (fingerprint \(hex(stopWordsFingerprint)), this build has \(hex(stopWords.fingerprint)))"
                )
            }
            vectorizer = .book(HashingVectorizer(featureCount: featureCount, tokenizer: BookTokenizer(stopWords: stopWords)))
        } else {
            let hashing = TermHashing.allCases.first { tokenizerVariant(of: $0) == variantBytes[0] }
            let known: [UInt8] = [UInt8(NGramVectorizer.order), logCountTerms, columnFeatureScales]
            guard let hashing, Array(variantBytes[1...]) == known, featureCount == NGramVectorizer.featureCount else {
                let tokenizers = TermHashing.allCases.map { String(tokenizerVariant(of: $0)) }.joined(separator: " or ")
                throw .incompatible(
                    path: path,
                    detail:
                        "its n-gram settings (tokenizer, order, term value, scale: \(variantBytes); \(featureCount) features) are not this build's ([\(tokenizers), \(known.map(String.init).joined(separator: ", "))]; \(NGramVectorizer.featureCount) features)"
                )
            }
            vectorizer = .ngram(NGramVectorizer(hashing: hashing))
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

        let hasScales = fileVersion != bookVersion
        let weights: RegressionWeights
        switch fileVersion {
        case bookVersion:
            weights = .learned(
                try decodeLearnedColumns(
                    bytes, path: path, featureCount: featureCount, count: storedCount, columnsOffset: columnsOffset, weightsOffset: valuesOffset))
        case ngramGapsVersion:
            weights = .scaled(
                try decodeColumnGaps(
                    bytes, path: path, featureCount: featureCount, count: storedCount, columns: columnsOffset..<(columnsOffset + columnBytes),
                    scalesOffset: scalesOffset, weightsOffset: valuesOffset))
        default:
            guard columnBytes == featureCount / 8 else {
                throw .invalid(
                    path: path, detail: "its column bitmap has \(columnBytes) bytes, not the \(featureCount / 8) of \(featureCount) columns")
            }
            weights = .scaled(
                try decodeColumnBitmap(bytes, path: path, featureCount: featureCount, count: storedCount, entriesOffset: scalesOffset))
        }
        let training: TrainingRecord?
        if hasScales {
            var record = ByteReader(bytes: bytes, offset: headerSize)
            training = TrainingRecord(
                rows: record.read(), epochs: record.read(), minimumDocuments: record.read(), minimumTrigramDocuments: record.read(),
                smoothing: Double(
                    bitPattern: {
                        record.skip(4)
                        return record.read()
                    }()), dropout: Double(bitPattern: record.read()),
                initialRate: Double(bitPattern: record.read()), seed: record.read())
        } else {
            training = nil
        }
        let regression = LogisticRegression(table: weights, scale: scale, intercept: intercept, samplesSeen: samplesSeen, alpha: alpha)
        return SentimentClassifier(vectorizer: vectorizer, regression: regression, labelNames: labelNames, watermark: watermark, training: training)
    }

    /// Version 1's columns: ascending UInt32s, and their binary64 weights.
    private static func decodeLearnedColumns(
        _ bytes: UnsafeRawBufferPointer, path: String, featureCount: Int, count: Int, columnsOffset: Int, weightsOffset: Int
    ) throws(ModelFileError) -> WeightTable {
        // A bad entry stops the filling, and the half-built table is dropped.
        var problem: ModelFileError?
        let table = WeightTable(featureCount: featureCount, expectedCount: count) { insert in
            var columnReader = ByteReader(bytes: bytes, offset: columnsOffset)
            var valueReader = ByteReader(bytes: bytes, offset: weightsOffset)
            var previous = -1
            for _ in 0..<count {
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
        return table
    }

    /// Version 3's columns: a bitmap of `featureCount` bits (bit `c` of the 64-bit word
    /// `c / 64`) at the n-gram header's end, then `count` entries of a binary32 scale and a
    /// binary32 weight. The blocks are made from the bitmap and the entries copied as they are,
    /// each checked on the way: no rebuilding, which was most of a CGI request's load.
    private static func decodeColumnBitmap(
        _ bytes: UnsafeRawBufferPointer, path: String, featureCount: Int, count: Int, entriesOffset: Int
    ) throws(ModelFileError) -> ScaledColumnTable {
        let bitmap = UnsafeRawBufferPointer(rebasing: bytes[ngramHeaderSize..<entriesOffset])
        let columns = ScaledColumnTable.count(ofBitmap: bitmap)
        guard columns == count else {
            throw .invalid(path: path, detail: "its column bitmap holds \(columns) columns, its header says \(count)")
        }
        let entries = UnsafeRawBufferPointer(rebasing: bytes[entriesOffset..<(entriesOffset + 8 * count)])
        return try ScaledColumnTable(featureCount: featureCount, bitmap: bitmap) {
            (copy: UnsafeMutableBufferPointer<ScaledColumnTable.Entry>) throws(ModelFileError) in
            for index in 0..<count {
                let featureScale = Float(bitPattern: UInt32(littleEndian: entries.loadUnaligned(fromByteOffset: 8 * index, as: UInt32.self)))
                let weight = Float(bitPattern: UInt32(littleEndian: entries.loadUnaligned(fromByteOffset: 8 * index + 4, as: UInt32.self)))
                guard featureScale.isFinite && featureScale != 0 && weight.isFinite else {
                    let column = ScaledColumnTable.column(atRank: index, ofBitmap: bitmap)
                    throw .invalid(
                        path: path,
                        detail: featureScale.isFinite && featureScale != 0
                            ? "the weight of column \(column) is \(weight)" : "the feature scale of column \(column) is \(featureScale)")
                }
                copy[index] = ScaledColumnTable.Entry(featureScale: featureScale, weight: weight)
            }
        }
    }

    /// Version 2's columns: gaps in LEB128 filling `columns` exactly, then the binary32 scales
    /// and weights, 4-byte aligned. One loop with no call and no branch on a gap's length (1 to
    /// 4 bytes, a gap being below 2^23, and as unpredictable as the hashes).
    private static func decodeColumnGaps(
        _ bytes: UnsafeRawBufferPointer, path: String, featureCount: Int, count: Int, columns: Range<Int>, scalesOffset: Int,
        weightsOffset: Int
    ) throws(ModelFileError) -> ScaledColumnTable {
        var builder = ScaledColumnTable.Builder(featureCount: featureCount, capacity: count)
        let base = bytes.baseAddress!
        let scales = base + scalesOffset
        let weights = base + weightsOffset
        var offset = columns.lowerBound
        var previous = -1
        for index in 0..<count {
            // The 4 bytes from a gap's start are in the file: the scales follow the gaps.
            let word = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            // Bit 7 of each byte that ends a number.
            let ends = ~word & 0x8080_8080
            let length = (ends.trailingZeroBitCount + 1) / 8
            offset += length
            guard ends != 0, offset <= columns.upperBound else {
                throw .invalid(path: path, detail: "the column list ends early or is malformed after column \(previous)")
            }
            let groups = word & 0x7F | word >> 1 & 0x3F80 | word >> 2 & 0x1F_C000 | word >> 3 & 0x0FE0_0000
            let gap = groups & UInt32.max >> UInt32(32 - 7 * length)
            let column = previous + 1 + Int(gap)
            guard column < featureCount else {
                throw .invalid(path: path, detail: "weight columns are not ascending within 0..<\(featureCount) (column \(column) after \(previous))")
            }
            let featureScale = Float(bitPattern: UInt32(littleEndian: scales.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
            let weight = Float(bitPattern: UInt32(littleEndian: weights.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
            guard featureScale.isFinite && featureScale != 0 else {
                throw .invalid(path: path, detail: "the feature scale of column \(column) is \(featureScale)")
            }
            guard weight.isFinite else { throw .invalid(path: path, detail: "the weight of column \(column) is \(weight)") }
            builder.append(column: column, featureScale: featureScale, weight: weight)
            previous = column
        }
        if offset != columns.upperBound {
            throw .invalid(path: path, detail: "the column list has \(columns.upperBound - offset) bytes past its last column")
        }
        return builder.build()
    }

    /// CRC-32 (zlib's), of everything before the trailer; public for a file that carries a
    /// model file's bytes beside fields of its own (a live model's resume point), checked
    /// alike. libdeflate computes it with the CPU's carry-less multiplication: 0.55 ms for the
    /// n-gram model's 6.5 MB where zlib's takes 2 ms, which a CGI process pays on every request.
    public static func checksum(of bytes: UnsafeRawBufferPointer) -> UInt32 {
        libdeflate_crc32(0, bytes.baseAddress, bytes.count)
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
