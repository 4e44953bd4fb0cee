extension SentimentClassifier {
    /// The decision on `text` split into its features' contributions and the bias, exactly (up
    /// to the rounding of a sum): each distinct feature adds its column's weight times its value
    /// in `x`. Features whose hashes share a column share its value in proportion to their
    /// counts, so the contributions still add up to the decision.
    public func explain(_ text: String) -> Explanation {
        switch vectorizer {
        case .book(let vectorizer): explainBook(text, vectorizer: vectorizer)
        case .ngram: explainNGrams(text)
        }
    }

    private func explainBook(_ text: String, vectorizer: HashingVectorizer) -> Explanation {
        var counts: [String: (column: Int, count: Double, occurrences: Int)] = [:]
        var order: [String] = []
        let featureCount = UInt64(vectorizer.featureCount)
        vectorizer.tokenizer.forEachToken(in: text) { bytes, hash in
            let token = String(decoding: bytes, as: UTF8.self)
            let column = Int(UInt64(hash.magnitude) % featureCount)
            let sign = hash < 0 ? -1.0 : 1.0
            if let entry = counts[token] {
                counts[token] = (entry.column, entry.count + sign, entry.occurrences + 1)
            } else {
                counts[token] = (column, sign, 1)
                order.append(token)
            }
        }
        // The norm of x, from the summed signed counts per column (as the vectorizer sums them).
        var columns: [Int: Double] = [:]
        for (_, entry) in counts { columns[entry.column, default: 0] += entry.count }
        let norm = columns.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var shares: [String: Double] = [:]
        let contributions = order.map { token -> Explanation.Contribution in
            let entry = counts[token]!
            let value = norm > 0 ? entry.count / norm : 0
            let contribution = regression.effectiveWeight(ofColumn: entry.column) * value
            shares[token] = contribution / Double(entry.occurrences)
            return Explanation.Contribution(token: token, contribution: contribution)
        }
        // The book's tokens are the lowercased runs of word characters: found again in the text
        // as written, each occurrence marked with its token's share.
        var words: [Explanation.WordShare] = []
        var lowered: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            guard Self.isBookWordByte(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            lowered.removeAll(keepingCapacity: true)
            while index < bytes.count && Self.isBookWordByte(bytes[index]) {
                lowered.append(bytes[index] >= 0x41 && bytes[index] <= 0x5A ? bytes[index] | 0x20 : bytes[index])
                index += 1
            }
            if let share = shares[String(decoding: lowered, as: UTF8.self)] {
                words.append(Explanation.WordShare(range: start..<index, contribution: share))
            }
        }
        return Explanation(contributions: Self.strongestFirst(contributions), bias: regression.intercept, words: words)
    }

    /// A byte of a word character as Python's `\w` sees it: ASCII letters, digits and `_`, and
    /// (approximately) any non-ASCII character.
    private static func isBookWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    private func explainNGrams(_ text: String) -> Explanation {
        struct Occurrence {
            let term: String
            let column: Int
            /// Its tokens: `lastToken - order + 1 ... lastToken`.
            let lastToken: Int
            let order: Int
            let count: Int
        }
        var ranges: [Range<Int>] = []
        NegationTokenizer().forEachToken(in: text) { _, range in ranges.append(range) }
        var occurrences: [Occurrence] = []
        NGramVectorizer.forEachTerm(in: text) { column, term, lastToken, order, count in
            occurrences.append(
                Occurrence(term: String(decoding: term, as: UTF8.self), column: Int(column), lastToken: lastToken, order: order, count: count))
        }
        var counts: [Int: Int] = [:]
        for occurrence in occurrences { counts[occurrence.column, default: 0] += occurrence.count }
        var squares = 0.0
        for (column, count) in counts {
            let value = Double(regression.featureScale(ofColumn: column)) * NGramVectorizer.termValue(count: count)
            squares += value * value
        }
        let norm = squares.squareRoot()
        var perTerm: [String: Double] = [:]
        var order: [String] = []
        var shares = [Double](repeating: 0, count: ranges.count)
        for occurrence in occurrences {
            let count = counts[occurrence.column]!
            let value = Double(regression.featureScale(ofColumn: occurrence.column)) * NGramVectorizer.termValue(count: count)
            guard value != 0 else { continue }
            // The column's contribution, shared among the occurrences that make its count.
            let share = regression.effectiveWeight(ofColumn: occurrence.column) * value / norm * Double(occurrence.count) / Double(count)
            if perTerm[occurrence.term] == nil { order.append(occurrence.term) }
            perTerm[occurrence.term, default: 0] += share
            for token in (occurrence.lastToken - occurrence.order + 1)...occurrence.lastToken {
                shares[token] += share / Double(occurrence.order)
            }
        }
        let contributions = order.map { Explanation.Contribution(token: $0, contribution: perTerm[$0]!) }
        let words = zip(ranges, shares).map { Explanation.WordShare(range: $0, contribution: $1) }
        return Explanation(contributions: Self.strongestFirst(contributions), bias: regression.intercept, words: words)
    }

    /// Largest magnitude first; ties in the order of the text.
    private static func strongestFirst(_ contributions: [Explanation.Contribution]) -> [Explanation.Contribution] {
        contributions.enumerated().sorted {
            abs($0.element.contribution) != abs($1.element.contribution)
                ? abs($0.element.contribution) > abs($1.element.contribution) : $0.offset < $1.offset
        }.map(\.element)
    }
}
