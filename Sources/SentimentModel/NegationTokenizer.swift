import Support

/// The tokenizer of the n-gram model variant: cleaner than the book's, chosen by
/// cross-validation inside the training rows (docs/research/model-variant.md).
///
/// On the review's UTF-8, in one pass:
/// - an HTML tag (`<` up to the next `>`) separates tokens, as a space would; a `<` with no `>`
///   after it is an ordinary separator;
/// - at each position, first an emoticon `[:;=]-?[()DP]` (case as written; the `-` dropped), then
///   a word `[A-Za-z0-9]+('[A-Za-z0-9]+)*` (ASCII letters lowercased; apostrophes only between
///   two letters or digits, so `don't` stays whole), then punctuation `. , ! ? ; : ( )`; any other
///   byte, every non-ASCII one included, separates;
/// - negation marking: after a negator (`not`, `no`, `never`, `cannot`, `nor`, `nothing`,
///   `nobody`, `none`, `nowhere`, `neither`, or a word ending in `n't`) every word is prefixed
///   `not_` until the next punctuation or emoticon;
/// - no stop word is dropped (`not` and `no` matter to sentiment).
public struct NegationTokenizer: Sendable {
    public init() {}

    /// Calls `body` with the bytes of each token, in order. The buffer is reused: copy what
    /// must outlive the call.
    public func forEachToken(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        forEachToken(in: text) { token, _ in body(token) }
    }

    /// Calls `body` with the bytes of each token and where it was found in the text's UTF-8 (a
    /// word's range leaves out the `not_` its token gains; an emoticon's includes its `-`).
    public func forEachToken(in text: String, _ body: (_ token: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Void) {
        withoutActuallyEscaping(body) { body in
            var visitor = ClosureVisitor(body: body)
            forEachToken(in: text, &visitor)
        }
    }

    /// The tokens of a text to a closure.
    private struct ClosureVisitor: TokenVisitor {
        let body: (_ token: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Void

        func visit(token: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
            body(token, range)
        }
    }

    /// Tells `visitor` the bytes of each token and where it was found, as
    /// `forEachToken(in:_:)` tells its closure.
    @inline(__always)
    func forEachToken<Visitor: TokenVisitor>(in text: String, _ visitor: inout Visitor) {
        var text = text
        text.withUTF8 { bytes in
            // A token is at most the text's length plus the `not_` prefix, and a token (with or
            // without its `not_`) may be read 8 bytes from its start and 7 past its end (the
            // `TermRun`s hash a word's bytes 8 or 4 at a time); a word's bytes are written 8 at a
            // time, at most 8 past the text's length plus 4.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count + 16) { token in
                var negating = false
                // A `<` starts a tag only when a `>` follows it somewhere.
                let lastClose = Self.lastIndexOfClose(in: bytes)
                var index = 0
                let count = bytes.count
                while index < count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "<") && index < lastClose {
                        index += 1
                        while bytes[index] != UInt8(ascii: ">") { index += 1 }
                        index += 1
                        continue
                    }
                    if byte == UInt8(ascii: ":") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "=") {
                        var mouth = index + 1
                        if mouth < count && bytes[mouth] == UInt8(ascii: "-") { mouth += 1 }
                        if mouth < count && Self.isMouth(bytes[mouth]) {
                            token[0] = byte
                            token[1] = bytes[mouth]
                            visitor.visit(token: UnsafeBufferPointer(rebasing: token[..<2]), range: index..<(mouth + 1))
                            negating = false
                            index = mouth + 1
                            continue
                        }
                        if byte != UInt8(ascii: "=") { negating = false }
                        index += 1
                        continue
                    }
                    if Self.isAlphanumeric(byte) {
                        var length = 0
                        if negating {
                            for prefix in Self.negationPrefix {
                                token[length] = prefix
                                length += 1
                            }
                        }
                        let wordStart = length
                        var end = index
                        while true {
                            // Eight bytes at a time while the text has them: lowercased and
                            // stored whole (the buffer has room), the run's bytes kept.
                            while end &+ 8 <= count {
                                let block = UnsafeRawPointer(bytes.baseAddress! + end).loadUnaligned(as: UInt64.self).littleEndian
                                let run = (~SWAR.alphanumerics(block) & SWAR.highBits).trailingZeroBitCount >> 3
                                UnsafeMutableRawPointer(token.baseAddress! + length).storeBytes(
                                    of: SWAR.lowercased(block).littleEndian, as: UInt64.self)
                                length &+= run
                                end &+= run
                                if run < 8 { break }
                            }
                            while end < count && Self.isAlphanumeric(bytes[end]) {
                                token[length] = Self.lowercased(bytes[end])
                                length += 1
                                end += 1
                            }
                            guard end + 1 < count, bytes[end] == UInt8(ascii: "'"), Self.isAlphanumeric(bytes[end + 1]) else { break }
                            token[length] = UInt8(ascii: "'")
                            length += 1
                            end += 1
                        }
                        visitor.visit(token: UnsafeBufferPointer(rebasing: token[..<length]), range: index..<end)
                        if Self.isNegator(UnsafeBufferPointer(rebasing: token[wordStart..<length])) { negating = true }
                        index = end
                        continue
                    }
                    if Self.isPunctuation(byte) { negating = false }
                    index += 1
                }
            }
        }
    }

    /// Where the last `>` of `bytes` is, -1 if none (eight bytes at a time from the end, where a
    /// review without a tag would otherwise be read byte by byte).
    static func lastIndexOfClose(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        ByteMask.lastIndex(of: UInt8(ascii: ">"), in: bytes) ?? -1
    }

    /// A negator, or a word ending in `n't`: the word's bytes packed into an integer and
    /// compared with the negators packed alike, with no allocation or reference counting.
    @inline(__always)
    static func isNegator(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = word.count
        if count >= 3 && word[count - 3] == UInt8(ascii: "n") && word[count - 2] == UInt8(ascii: "'") && word[count - 1] == UInt8(ascii: "t") {
            return true
        }
        // Every negator starts with `n` or `c`: most words are turned away before the packing
        // and the search of the list.
        guard count >= 2 && count <= 8 && (word[0] == UInt8(ascii: "n") || word[0] == UInt8(ascii: "c")) else { return false }
        var packed: UInt64 = 0
        for byte in word { packed = packed << 8 | UInt64(byte) }
        return packedNegators.contains(packed)
    }

    /// The negators, each packed as `isNegator` packs a word (at most 8 bytes each).
    static let packedNegators: [UInt64] = ["not", "no", "never", "cannot", "nor", "nothing", "nobody", "none", "nowhere", "neither"].map {
        $0.utf8.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The tokens as strings: for tests and tools.
    public func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        forEachToken(in: text) { tokens.append(String(decoding: $0, as: UTF8.self)) }
        return tokens
    }

    static let negationPrefix = Array("not_".utf8)

    /// Whether a token carries the `not_` mark (no word has an underscore of its own).
    @inline(__always)
    static func isMarked(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        token.count > 4 && token[3] == UInt8(ascii: "_") && token[0] == UInt8(ascii: "n") && token[1] == UInt8(ascii: "o")
            && token[2] == UInt8(ascii: "t")
    }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    @inline(__always)
    static func isMouth(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "D") || byte == UInt8(ascii: "P")
    }

    /// Punctuation that ends a negation scope (`:` and `;` are handled with the emoticons).
    @inline(__always)
    static func isPunctuation(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?")
            || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")
    }
}
