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

    /// Tells `visitor` the run's term in each view, in `block`: one term counted twice when the
    /// views agree (no token of the run is marked).
    func report<Visitor: TermVisitor>(block: UInt32, lastToken: Int, order: Int, to visitor: inout Visitor)
}
