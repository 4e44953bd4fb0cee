/// The hash of a run of tokens joined by spaces, in both views, as one way of hashing terms
/// (`TermHashing`) carries it from a term to the term one token longer, so that no term is
/// hashed from its start.
protocol TermRun {
    /// What a token gives every run it joins, worked out once per token.
    associatedtype Token

    /// `count` bytes at `bytes` (the tokenizer's buffer, readable 8 bytes from the token's start
    /// and 7 past its end), marked `not_` or not.
    static func token(_ bytes: UnsafeRawPointer, count: Int, isMarked: Bool) -> Token

    /// No run yet: before the first token.
    init()

    /// The run of one token.
    init(_ token: Token)

    /// Appends a space and `token`: the whole token to the marked view, the token without its
    /// `not_` to the plain.
    mutating func extend(with token: Token)

    /// Whether the run holds a marked token, so that its views are different terms.
    var touchesScope: Bool { get }

    /// The column in its block and the whole hash of the run's term in the marked view, or in the
    /// plain view (asked only when `touchesScope`).
    func slot(plain: Bool) -> (column: UInt32, hash: UInt32)
}

extension TermRun {
    /// Tells `visitor` the run's term in each view, in `block`: one term counted twice when the
    /// views agree (no token of the run is marked).
    @inline(__always)
    func report<Visitor: TermVisitor>(block: UInt32, lastToken: Int, order: Int, to visitor: inout Visitor) {
        let marked = slot(plain: false)
        if touchesScope {
            let plain = slot(plain: true)
            visitor.visit(column: block + marked.column, count: 1, hash: marked.hash, lastToken: lastToken, order: order, plain: false)
            visitor.visit(column: block + plain.column, count: 1, hash: plain.hash, lastToken: lastToken, order: order, plain: true)
        } else {
            visitor.visit(column: block + marked.column, count: 2, hash: marked.hash, lastToken: lastToken, order: order, plain: false)
        }
    }
}
