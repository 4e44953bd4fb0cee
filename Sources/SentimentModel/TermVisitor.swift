/// What `NGramVectorizer.forEachTerm(in:_:)` tells, term by term: a visitor, as
/// `TokenVisitor` is, so that what each caller does with a term is inlined into the hashing.
protocol TermVisitor {
    /// A token and where it is in the text, before the terms it ends.
    mutating func visit(token: UnsafeBufferPointer<UInt8>, range: Range<Int>)

    /// A term: its column, how many times it counts here (2 for a term outside any negation
    /// scope, which both views share; 1 for each view's form of one inside), its whole 32-bit
    /// hash, the index of its last token, its order, and whether it is the plain view's form of a
    /// term inside a negation scope.
    mutating func visit(column: UInt32, count: Int, hash: UInt32, lastToken: Int, order: Int, plain: Bool)
}

extension TermVisitor {
    /// Most visitors need no tokens.
    @inline(__always)
    mutating func visit(token: UnsafeBufferPointer<UInt8>, range: Range<Int>) {}
}
