extension SentimentClassifier {
    /// Calls `body` with each term occurrence of `text`, in the text's order, as the model's
    /// own vectorizer makes them: the term's slot, and its name, made only when asked (a String
    /// per occurrence would cost more than the hashing). What recovers the names of the hashed
    /// columns from texts (eli5's InvertableHashingVectorizer idea), in time linear in the text.
    ///
    /// The book's variant names a term by its token; the n-gram variant by its tokens joined by
    /// a space, `not_` kept in the marked view's form of a term in a negation scope and dropped
    /// in the plain view's, as explanations name them.
    public func forEachTerm(in text: String, _ body: (_ slot: TermSlot, _ name: () -> String) -> Void) {
        switch vectorizer {
        case .book(let vectorizer):
            let featureCount = UInt64(vectorizer.featureCount)
            vectorizer.tokenizer.forEachToken(in: text) { bytes, hash in
                let slot = TermSlot(column: Int(UInt64(hash.magnitude) % featureCount), countsNegatively: hash < 0)
                body(slot) { String(decoding: bytes, as: UTF8.self) }
            }
        case .ngram(let vectorizer):
            var collector = NamedTermCollector()
            vectorizer.forEachTerm(in: text, &collector)
            for term in collector.terms {
                body(TermSlot(column: Int(term.column), countsNegatively: false)) { collector.name(of: term) }
            }
        }
    }

    /// The weight of a term in `slot` per unit of its value in `x`: what one occurrence's worth
    /// pushes the decision before normalisation, the same for every text. The book's variant:
    /// the column's effective weight, signed as the term counts; the n-gram variant: the
    /// column's feature scale times its effective weight (0 for a column the table does not
    /// hold, which no text can move).
    public func termWeight(of slot: TermSlot) -> Double {
        switch vectorizer {
        case .book:
            let weight = regression.effectiveWeight(ofColumn: slot.column)
            return slot.countsNegatively ? -weight : weight
        case .ngram:
            let entry = regression.entry(ofColumn: slot.column)
            return Double(entry.featureScale) * entry.rawWeight * regression.scale
        }
    }

    /// The n-gram variant's terms of a text with what names them: its tokens' bytes, and for
    /// each term its last token, its order and its view.
    private struct NamedTermCollector: TermVisitor {
        struct Term {
            var column: UInt32
            var lastToken: Int
            var order: Int
            var plain: Bool
        }

        var terms: [Term] = []
        var tokenBytes: [UInt8] = []
        /// Where each token's bytes start in `tokenBytes`, and where the last one ends.
        var tokenStarts: [Int] = [0]

        mutating func visit(token: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
            tokenBytes.append(contentsOf: token)
            tokenStarts.append(tokenBytes.count)
        }

        mutating func visit(column: UInt32, count: Int, hash: UInt32, lastToken: Int, order: Int, plain: Bool) {
            terms.append(Term(column: column, lastToken: lastToken, order: order, plain: plain))
        }

        func name(of term: Term) -> String {
            let prefix = NegationTokenizer.negationPrefix
            var bytes: [UInt8] = []
            for token in (term.lastToken - term.order + 1)...term.lastToken {
                if !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
                var word = tokenBytes[tokenStarts[token]..<tokenStarts[token + 1]]
                if term.plain && word.starts(with: prefix) && word.count > prefix.count { word = word.dropFirst(prefix.count) }
                bytes.append(contentsOf: word)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
