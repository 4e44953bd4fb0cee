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
/// One pass over the UTF-8 bytes, ASCII fast path, no allocation per token: each token is
/// handed to the caller as bytes together with its MurmurHash3; stop words are dropped before
/// they are hashed.
public struct BookTokenizer: Sendable {
    public let stopWords: StopWords

    public init(stopWords: StopWords = .english) {
        self.stopWords = stopWords
    }

    /// Calls `body` with each token's UTF-8 bytes (valid only during the call) and its signed
    /// MurmurHash3 (seed 0), in the order scikit-learn's analyzer yields them.
    public func forEachToken(in text: String, _ body: (UnsafeRawBufferPointer, Int32) -> Void) {
        var text = text
        text.withUTF8 { source in
            // Lowercasing can lengthen a scalar's UTF-8 (İ, 2 bytes, becomes i + U+0307, 3 bytes);
            // a token never holds more than 3 bytes per source byte plus one emoticon. The first
            // 16 bytes are zeroed so that the stop-word check may always read 16.
            let capacity = source.count * 3 + 16
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity + source.count / 2 + 1) { scratch in
                scratch.baseAddress!.initialize(repeating: 0, count: 16)
                let token = UnsafeMutableBufferPointer(rebasing: scratch[..<capacity])
                let emoticons = UnsafeMutableBufferPointer(rebasing: scratch[capacity...])
                scan(source, token: token, emoticons: emoticons, body)
            }
        }
    }

    /// The tokens of `text` as strings (for tests and tools; the hot path uses `forEachToken`).
    public func tokens(in text: String) -> [String] {
        var tokens: [String] = []
        forEachToken(in: text) { bytes, _ in tokens.append(String(decoding: bytes, as: UTF8.self)) }
        return tokens
    }

    @inline(__always)
    private func scan(
        _ source: UnsafeBufferPointer<UInt8>,
        token: UnsafeMutableBufferPointer<UInt8>,
        emoticons: UnsafeMutableBufferPointer<UInt8>,
        _ body: (UnsafeRawBufferPointer, Int32) -> Void
    ) {
        var tokenLength = 0
        var emoticonCount = 0
        // Emoticon matcher: 0 = nothing, 1 = eyes seen, 2 = eyes and nose seen.
        var matcherState = 0
        var eyes: UInt8 = 0
        // Once a `<` finds no `>` after it, no later `<` can: remember it, so a text full of
        // `<` stays linear (Python's regex would be quadratic there).
        var closingTagSearchFailed = false
        // Emoticons are kept as one byte each: the eyes (`:`, `;`, `=`, all below 0x80) with
        // the high bit set for `)`.

        @inline(__always)
        func emitToken(_ length: Int) {
            let bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(token)[..<length])
            if !stopWords.contains(paddedToken: bytes) { body(bytes, MurmurHash3.hash32(bytes)) }
        }

        @inline(__always)
        func feedMatcher(_ byte: UInt8) {
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

        var offset = 0
        let end = source.count
        while offset < end {
            var byte = source[offset]
            if ASCIIClass.isWord(byte) {
                // The common case: a run of ASCII word characters.
                repeat {
                    token[tokenLength] = ASCIIClass.lowercased(byte)
                    tokenLength += 1
                    offset += 1
                    guard offset < end else { break }
                    byte = source[offset]
                } while ASCIIClass.isWord(byte)
                matcherState = 0
                continue
            }
            if byte < 0x80 {
                if byte == UInt8(ascii: "<") && !closingTagSearchFailed {
                    if let close = Self.index(of: UInt8(ascii: ">"), in: source, from: offset + 1) {
                        offset = close + 1
                        continue
                    }
                    closingTagSearchFailed = true
                }
                if tokenLength > 0 {
                    emitToken(tokenLength)
                    tokenLength = 0
                }
                if byte & 0xC0 == 0 && (Self.emoticonBytes >> UInt64(byte)) & 1 != 0 {
                    feedMatcher(byte)
                } else {
                    matcherState = 0
                }
                offset += 1
                continue
            }
            let (scalar, next) = UTF8Scalars.decode(source, at: offset)
            PythonUnicode.forEachLowercased(scalar, at: offset, in: source) { lowered in
                if PythonUnicode.isWordCharacter(lowered) {
                    for unit in UTF8.encode(lowered)! {
                        token[tokenLength] = unit
                        tokenLength += 1
                    }
                } else if tokenLength > 0 {
                    emitToken(tokenLength)
                    tokenLength = 0
                }
                matcherState = 0
            }
            offset = next
        }

        var firstEmoticon = 0
        if tokenLength > 0 {
            if emoticonCount > 0 {
                Self.write(emoticons[0], into: token, at: tokenLength)
                tokenLength += 2
                firstEmoticon = 1
            }
            emitToken(tokenLength)
        }
        for index in firstEmoticon..<max(firstEmoticon, emoticonCount) {
            Self.write(emoticons[index], into: token, at: 0)
            emitToken(2)
        }
    }

    /// `( ) - : ; =` as a bit set over the bytes 0–63: every other byte resets the emoticon
    /// matcher, and most separators (spaces, `.`, `,`) are settled by this one test.
    private static let emoticonBytes: UInt64 = [UInt8]("()-:;=".utf8).reduce(0) { $0 | 1 << UInt64($1) }

    @inline(__always)
    private static func write(_ emoticon: UInt8, into token: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        token[offset] = emoticon & 0x7F
        token[offset + 1] = emoticon & 0x80 != 0 ? UInt8(ascii: ")") : UInt8(ascii: "(")
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
