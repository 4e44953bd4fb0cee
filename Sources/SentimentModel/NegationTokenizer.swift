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
    static let negators: Set<[UInt8]> = Set(
        ["not", "no", "never", "cannot", "nor", "nothing", "nobody", "none", "nowhere", "neither"].map { Array($0.utf8) })

    public init() {}

    /// Calls `body` with the bytes of each token, in order. The buffer is reused: copy what
    /// must outlive the call.
    public func forEachToken(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var token: [UInt8] = []
            token.reserveCapacity(64)
            var negating = false
            // A `<` starts a tag only when a `>` follows it somewhere.
            let lastClose = bytes.lastIndex(of: UInt8(ascii: ">")) ?? -1
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
                        token.removeAll(keepingCapacity: true)
                        token.append(byte)
                        token.append(bytes[mouth])
                        token.withUnsafeBufferPointer(body)
                        negating = false
                        index = mouth + 1
                        continue
                    }
                    if byte != UInt8(ascii: "=") { negating = false }
                    index += 1
                    continue
                }
                if Self.isAlphanumeric(byte) {
                    token.removeAll(keepingCapacity: true)
                    if negating { token.append(contentsOf: Self.negationPrefix) }
                    let wordStart = token.count
                    var end = index
                    while true {
                        while end < count && Self.isAlphanumeric(bytes[end]) {
                            token.append(Self.lowercased(bytes[end]))
                            end += 1
                        }
                        guard end + 1 < count, bytes[end] == UInt8(ascii: "'"), Self.isAlphanumeric(bytes[end + 1]) else { break }
                        token.append(UInt8(ascii: "'"))
                        end += 1
                    }
                    token.withUnsafeBufferPointer(body)
                    let word = token[wordStart...]
                    if (word.count <= Self.longestNegator && Self.negators.contains(Array(word))) || word.suffix(3).elementsEqual("n't".utf8) {
                        negating = true
                    }
                    index = end
                    continue
                }
                if Self.isPunctuation(byte) { negating = false }
                index += 1
            }
        }
    }

    /// The tokens as strings: for tests and tools.
    public func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        forEachToken(in: text) { tokens.append(String(decoding: $0, as: UTF8.self)) }
        return tokens
    }

    static let negationPrefix = Array("not_".utf8)
    static let longestNegator = negators.map(\.count).max()!

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
