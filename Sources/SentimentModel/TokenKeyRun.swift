/// `TermHashing.tokenKeys`: a run's key in both views, its tokens' keys combined (`TokenKey`).
/// A token outside a negation scope has one key in both views, so the views' keys of a run
/// differ only once it takes in a marked token.
struct TokenKeyRun: TermRun {
    struct Token {
        var marked: UInt64
        var plain: UInt64
        var isMarked: Bool
    }

    var marked: UInt64 = 0
    var plain: UInt64 = 0
    var touchesScope = false

    @inline(__always)
    static func token(_ bytes: UnsafeRawPointer, count: Int, isMarked: Bool) -> Token {
        // The plain view's token is the word without its `not_`; the marked view's is the
        // word's key marked.
        let skip = isMarked ? 4 : 0
        let word = TokenKey.key(of: bytes + skip, count: count - skip)
        return Token(marked: isMarked ? TokenKey.marked(word) : word, plain: word, isMarked: isMarked)
    }

    init() {}

    @inline(__always)
    init(_ token: Token) {
        marked = token.marked
        plain = token.plain
        touchesScope = token.isMarked
    }

    @inline(__always)
    mutating func extend(with token: Token) {
        marked = TokenKey.combine(marked, token.marked)
        plain = TokenKey.combine(plain, token.plain)
        touchesScope = touchesScope || token.isMarked
    }

    @inline(__always)
    func slot(plain: Bool) -> (column: UInt32, hash: UInt32) {
        let spread = TokenKey.spread(plain ? self.plain : marked)
        return (TokenKey.column(ofSpread: spread), UInt32(truncatingIfNeeded: spread))
    }
}
