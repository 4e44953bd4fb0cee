extension SentimentClassifier {
    /// The prediction on `text` and its explanation, in one pass over the text where the
    /// variant allows (the n-gram variant's explanation carries the classifier's decision bit
    /// for bit; the book's is classified apart): what the results page shows.
    public func explainedPrediction(_ text: String, strongest: Int = .max) -> (prediction: Prediction, explanation: Explanation) {
        let explanation = explain(text, strongest: strongest)
        return (Prediction(decision: vectorizer.variant == .ngram ? explanation.decision : decision(text)), explanation)
    }

    /// The decision on `text` split into its features' contributions and the bias, exactly (up
    /// to the rounding of a sum): each distinct feature adds its column's weight times its value
    /// in `x`. Features whose hashes share a column share its value in proportion to their
    /// counts, so the contributions still add up to the decision.
    ///
    /// `strongest` keeps only that many features towards each side (the results page shows
    /// five), which spares making a String of every other one; the decision and the words'
    /// shares are the whole text's all the same.
    public func explain(_ text: String, strongest: Int = .max) -> Explanation {
        switch vectorizer {
        case .book(let vectorizer): explainBook(text, vectorizer: vectorizer, strongest: strongest)
        case .ngram(let vectorizer): explainNGrams(text, vectorizer: vectorizer, strongest: strongest)
        }
    }

    private func explainBook(_ text: String, vectorizer: HashingVectorizer, strongest: Int) -> Explanation {
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
        let kept = Self.strongestFirst(strongest, of: contributions.enumerated().map { ($0.offset, $0.element.contribution) })
        return Explanation(
            contributions: kept.map { contributions[$0.offset] },
            bias: regression.intercept, decision: contributions.reduce(regression.intercept) { $0 + $1.contribution }, words: words)
    }

    /// A byte of a word character as Python's `\w` sees it: ASCII letters, digits and `_`, and
    /// (approximately) any non-ASCII character.
    private static func isBookWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    /// Of `contributions`, all of them when `count` covers them, else the `count` strongest
    /// of each sign (0 counts with neither); either way strongest first (see
    /// `strongestFirst(_:)`). Only the few kept are ever sorted: the results page keeps five a
    /// side of hundreds. Once a side holds `count`, a term goes on to the exact comparison only
    /// if its magnitude reaches that side's weakest kept: the signs of a review's terms come in
    /// no order a branch predictor can learn, and the scan picks the side's bar without a branch.
    static func strongestFirst(
        _ count: Int, of contributions: [(offset: Int, contribution: Double)]
    ) -> [(offset: Int, contribution: Double)] {
        guard count < contributions.count else { return strongestFirst(contributions) }
        guard count > 0 else { return [] }
        var positive: [(offset: Int, contribution: Double)] = []
        var negative: [(offset: Int, contribution: Double)] = []
        // The magnitude a term must reach to be looked at, positive side first: 0 until the
        // side is full (a 0 contribution is kept by neither).
        var bars = (0.0, 0.0)
        for term in contributions {
            let magnitude = abs(term.contribution)
            let isPositive = term.contribution > 0
            guard magnitude >= (isPositive ? bars.0 : bars.1), term.contribution != 0 else { continue }
            if isPositive {
                Self.insert(term, into: &positive, keeping: count)
                if positive.count == count { bars.0 = abs(positive[count - 1].contribution) }
            } else {
                Self.insert(term, into: &negative, keeping: count)
                if negative.count == count { bars.1 = abs(negative[count - 1].contribution) }
            }
        }
        return strongestFirst(positive + negative)
    }

    /// Inserts `term` into `kept` (strongest first, at most `limit`) if it is among the
    /// `limit` strongest.
    private static func insert(
        _ term: (offset: Int, contribution: Double), into kept: inout [(offset: Int, contribution: Double)], keeping limit: Int
    ) {
        if kept.count == limit {
            guard isStronger(term, than: kept[limit - 1]) else { return }
            kept.removeLast()
        }
        var position = kept.count
        while position > 0 && isStronger(term, than: kept[position - 1]) { position -= 1 }
        kept.insert(term, at: position)
    }

    /// Larger magnitude, or the same and earlier in the text.
    private static func isStronger(_ lhs: (offset: Int, contribution: Double), than rhs: (offset: Int, contribution: Double)) -> Bool {
        abs(lhs.contribution) != abs(rhs.contribution) ? abs(lhs.contribution) > abs(rhs.contribution) : lhs.offset < rhs.offset
    }

    /// Largest magnitude first; ties by offset (the order of the text).
    private static func strongestFirst(_ contributions: [(offset: Int, contribution: Double)]) -> [(offset: Int, contribution: Double)] {
        contributions.sorted { isStronger($0, than: $1) }
    }
}
