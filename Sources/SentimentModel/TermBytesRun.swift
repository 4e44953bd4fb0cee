/// `TermHashing.termBytes`: the running MurmurHash3 of a run's bytes, in both views. Until the
/// run takes in a marked token, both views are the same bytes: only the marked view is hashed.
struct TermBytesRun: TermRun {
    struct Token {
        var bytes: UnsafeRawPointer
        var count: Int
        var isMarked: Bool
    }

    var marked = MurmurHash3.Running()
    /// Only when `touchesScope`.
    var plain = MurmurHash3.Running()
    var touchesScope = false

    @inline(__always)
    static func token(_ bytes: UnsafeRawPointer, count: Int, isMarked: Bool) -> Token {
        Token(bytes: bytes, count: count, isMarked: isMarked)
    }

    init() {}

    @inline(__always)
    init(_ token: Token) {
        marked.append(token.bytes, count: token.count, spaced: false)
        if token.isMarked {
            // The token without its `not_`.
            plain.append(token.bytes + 4, count: token.count - 4, spaced: false)
            touchesScope = true
        }
    }

    @inline(__always)
    mutating func extend(with token: Token) {
        if token.isMarked && !touchesScope {
            plain = marked
            touchesScope = true
        }
        marked.append(token.bytes, count: token.count, spaced: true)
        if touchesScope {
            let skip = token.isMarked ? 4 : 0
            plain.append(token.bytes + skip, count: token.count - skip, spaced: true)
        }
    }

    @inline(__always)
    func slot(plain: Bool) -> (column: UInt32, hash: UInt32) {
        let hash = plain ? self.plain.hash : marked.hash
        return (UInt32(hash.magnitude) & UInt32(NGramVectorizer.blockSize - 1), UInt32(bitPattern: hash))
    }
}
