/// What `NegationTokenizer.forEachToken(in:_:)` tells, token by token. A visitor rather than a
/// closure so that the hot paths (classifying, explaining, training) are specialized and
/// inlined whole: a closure handed through the tokenizer and on to the n-gram hashing was an
/// indirect call per term.
protocol TokenVisitor {
    /// A token's bytes (the buffer is reused: copy what must outlive the call) and where it was
    /// found in the text's UTF-8 (see `NegationTokenizer.forEachToken(in:_:)`).
    mutating func visit(token: UnsafeBufferPointer<UInt8>, range: Range<Int>)
}
