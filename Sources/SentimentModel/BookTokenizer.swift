/// The book's tokenizer exactly as scikit-learn runs it inside `HashingVectorizer`:
///
/// ```python
/// # HashingVectorizer lowercases first (str.lower), then calls:
/// def tokenizer(text):
///     text = re.sub('<[^>]*>', '', text)
///     emoticons = re.findall('(?::|;|=)(?:-)?(?:\)|\(|D|P)', text.lower())
///     text = re.sub('[\W]+', ' ', text.lower()) + ' '.join(emoticons).replace('-', '')
///     return [w for w in text.split() if w not in stop]
/// ```
///
/// It keeps the pipeline's quirks, because the weights were learned with them: `:D` and `:P`
/// never match (the text is already lowercase); a tag glues the words around it
/// (`good<br/>film` is `goodfilm`); the emoticons are appended without a space, so the first
/// one sticks to the last word when the text ends in a word character (`really:)`).
///
/// It is the hot path of classification, so it works on the UTF-8 bytes in two passes, with no
/// allocation per token and few branches per byte:
/// 1. *clean*: copy the text lowercased, without tags, into a scratch buffer, collecting the
///    emoticons; an ASCII byte needs attention only if it is one of `:;<=` (0x3A–0x3D, one
///    comparison), and non-ASCII text goes through Python's lowercasing and `\w` rules, its
///    non-word characters written as spaces;
/// 2. *split*: classify the cleaned bytes 8 at a time with integer arithmetic (SWAR) into a
///    bit mask of word bytes, and walk the tokens with bit scans. Stop words are dropped
///    before they are hashed.
public struct BookTokenizer: Sendable {
    public let stopWords: StopWords

    public init(stopWords: StopWords = .english) {
        self.stopWords = stopWords
    }

    /// Calls `body` with each token's UTF-8 bytes (valid only during the call) and its signed
    /// MurmurHash3 (seed 0), in the order scikit-learn's analyzer yields them.
    @inline(__always)
    public func forEachToken(in text: String, _ body: (UnsafeRawBufferPointer, Int32) -> Void) {
        var text = text
        text.withUTF8 { source in
            // Lowercasing can lengthen a scalar's UTF-8 (İ, 2 bytes, becomes i + U+0307, 3 bytes),
            // so the cleaned text takes at most 3 bytes per source byte; then room for a glued
            // emoticon, the word scan's 64-byte blocks and the 20-byte reads of short tokens.
            let padding = 2 + 64 + 20
            let capacity = source.count * 3 + padding
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity + source.count / 2 + 1) { scratch in
                let cleaned = UnsafeMutableBufferPointer(rebasing: scratch[..<capacity])
                let emoticons = UnsafeMutableBufferPointer(rebasing: scratch[capacity...])
                let (length, emoticonCount) = Self.clean(source, into: cleaned, emoticons: emoticons)
                (cleaned.baseAddress! + length).initialize(repeating: 0, count: padding)
                split(cleaned.baseAddress!, length: length, emoticons: UnsafeBufferPointer(rebasing: emoticons[..<emoticonCount]), body)
            }
        }
    }

    /// The tokens of `text` as strings (for tests and tools; the hot path uses `forEachToken`).
    public func tokens(in text: String) -> [String] {
        var tokens: [String] = []
        forEachToken(in: text) { bytes, _ in tokens.append(String(decoding: bytes, as: UTF8.self)) }
        return tokens
    }

    // MARK: Pass 1: lowercase, strip tags, collect emoticons

    /// Writes the lowercased text without tags into `cleaned` (non-ASCII non-word characters
    /// become spaces) and the emoticons into `emoticons`, one byte each: the eyes (`:`, `;`,
    /// `=`, all below 0x80) with the high bit set for the mouth `)`. Returns both counts.
    @inline(__always)
    private static func clean(
        _ source: UnsafeBufferPointer<UInt8>,
        into cleaned: UnsafeMutableBufferPointer<UInt8>,
        emoticons: UnsafeMutableBufferPointer<UInt8>
    ) -> (length: Int, emoticons: Int) {
        var length = 0
        var emoticonCount = 0
        // Emoticon matcher: 0 = nothing, 1 = eyes seen, 2 = eyes and nose seen.
        var matcherState = 0
        var eyes: UInt8 = 0
        // Once a `<` finds no `>` after it, no later `<` can: remember it, so a text full of
        // `<` stays linear (Python's regex would be quadratic there).
        var closingTagSearchFailed = false
        let out = cleaned.baseAddress!
        var offset = 0
        let end = source.count
        let input = UnsafeRawPointer(source.baseAddress!)
        while offset < end {
            // The common case, 8 bytes at a time: ASCII other than `:;<=`, with no emoticon begun.
            if offset &+ 8 <= end && matcherState == 0 {
                let word = input.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                if SWAR.isPlain(word) {
                    UnsafeMutableRawPointer(out + length).storeBytes(of: SWAR.lowercased(word), as: UInt64.self)
                    length &+= 8
                    offset &+= 8
                    continue
                }
            }
            let byte = source[offset]
            if byte &- 0x3A >= 4 && byte < 0x80 && matcherState == 0 {
                out[length] = ASCIIClass.lowercased(byte)
                length &+= 1
                offset &+= 1
                continue
            }
            if byte >= 0x80 {
                let (scalar, next) = UTF8Scalars.decode(source, at: offset)
                PythonUnicode.forEachLowercased(scalar, at: offset, in: source) { lowered in
                    if PythonUnicode.isWordCharacter(lowered) {
                        for unit in UTF8.encode(lowered)! {
                            out[length] = unit
                            length += 1
                        }
                    } else {
                        out[length] = UInt8(ascii: " ")
                        length += 1
                    }
                }
                matcherState = 0
                offset = next
                continue
            }
            if byte == UInt8(ascii: "<") && !closingTagSearchFailed {
                if let close = index(of: UInt8(ascii: ">"), in: source, from: offset + 1) {
                    offset = close + 1
                    continue
                }
                closingTagSearchFailed = true
            }
            out[length] = ASCIIClass.lowercased(byte)
            length += 1
            offset += 1
            switch byte {
            case UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="):
                matcherState = 1
                eyes = byte
            case UInt8(ascii: "-") where matcherState == 1:
                matcherState = 2
            case UInt8(ascii: ")"), UInt8(ascii: "("):
                if matcherState != 0 {
                    emoticons[emoticonCount] = eyes | (byte == UInt8(ascii: ")") ? 0x80 : 0)
                    emoticonCount += 1
                }
                matcherState = 0
            default:
                matcherState = 0
            }
        }
        return (length, emoticonCount)
    }

    // MARK: Pass 2: split into tokens

    /// Walks the word runs of `text[0..<length]` (bytes past the end are zero, and readable up
    /// to the next multiple of 64 plus 20) and emits them, then the emoticons.
    @inline(__always)
    private func split(
        _ text: UnsafeMutablePointer<UInt8>,
        length: Int,
        emoticons: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeRawBufferPointer, Int32) -> Void
    ) {
        var firstFreeEmoticon = 0

        @inline(__always)
        func emit(_ start: Int, _ end: Int) {
            var end = end
            // The emoticons follow the text without a space: the first one joins a final word.
            if end == length && !emoticons.isEmpty {
                Self.write(emoticons[0], to: text + end)
                end += 2
                firstFreeEmoticon = 1
            }
            Self.emit(UnsafeRawBufferPointer(start: text + start, count: end - start), stopWords, body)
        }

        var openToken = -1
        var block = 0
        while block < length {
            var mask = Self.wordMask(text + block)
            if openToken >= 0 {
                let run = (~mask).trailingZeroBitCount
                if run == 64 {
                    block += 64
                    continue
                }
                emit(openToken, block + run)
                openToken = -1
                mask &= ~0 << UInt64(run)
            }
            while mask != 0 {
                let start = mask.trailingZeroBitCount
                let after = ~mask & (~0 << UInt64(start))
                if after == 0 {
                    openToken = block + start
                    break
                }
                let end = after.trailingZeroBitCount
                emit(block + start, block + end)
                mask &= ~0 << UInt64(end)
            }
            block += 64
        }
        if openToken >= 0 { emit(openToken, length) }

        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            buffer.initialize(repeating: 0)
            for index in firstFreeEmoticon..<emoticons.count {
                Self.write(emoticons[index], to: buffer.baseAddress!)
                Self.emit(UnsafeRawBufferPointer(start: buffer.baseAddress!, count: 2), stopWords, body)
            }
        }
    }

    /// Hands on a token that is not a stop word, with its hash. The token's buffer is readable
    /// 20 bytes past its start.
    @inline(__always)
    private static func emit(
        _ token: UnsafeRawBufferPointer,
        _ stopWords: StopWords,
        _ body: (UnsafeRawBufferPointer, Int32) -> Void
    ) {
        guard !stopWords.contains(paddedToken: token) else { return }
        // Short tokens take the fixed-shape hash: the reference one's switch on the length is a
        // jump table, mispredicted on every other token.
        body(token, token.count <= 16 ? MurmurHash3.hash32(padded: token.baseAddress!, count: token.count) : MurmurHash3.hash32(token))
    }

    /// Bit `i` set when byte `i` of the 64 at `bytes` is a word byte of the cleaned text:
    /// `[0-9a-z_]`, or any byte of a non-ASCII character (pass 1 turned the non-word ones
    /// into spaces).
    @inline(__always)
    private static func wordMask(_ bytes: UnsafePointer<UInt8>) -> UInt64 {
        var mask: UInt64 = 0
        for word in 0..<8 {
            let x = UnsafeRawPointer(bytes).loadUnaligned(fromByteOffset: word * 8, as: UInt64.self)
            mask |= SWAR.wordBits(x) << UInt64(word * 8)
        }
        return mask
    }

    @inline(__always)
    private static func write(_ emoticon: UInt8, to destination: UnsafeMutablePointer<UInt8>) {
        destination[0] = emoticon & 0x7F
        destination[1] = emoticon & 0x80 != 0 ? UInt8(ascii: ")") : UInt8(ascii: "(")
    }

    @inline(__always)
    private static func index(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }
}
