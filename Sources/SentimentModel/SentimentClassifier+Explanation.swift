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
        case .ngram: explainNGrams(text, strongest: strongest)
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

    /// The n-gram variant's explanation, in a few passes over flat arrays (it is on the results
    /// page's path): the tokens and the terms in one pass of the tokenizer
    /// (`NGramVectorizer.forEachTerm`, no term's bytes copied), the terms sorted by column (to
    /// count each column and look it up once) and, within a column, by the term's whole hash (to
    /// add up a term's occurrences; two different terms of one column with the same 32-bit
    /// hash, vanishingly rare, would show as one), in linear time; the strongest features
    /// selected without sorting them all; a String made only for the features kept, from the
    /// tokens.
    private func explainNGrams(_ text: String, strongest: Int) -> Explanation {
        var found = OccurrenceCollector(textBytes: text.utf8.count)
        NGramVectorizer.forEachTerm(in: text, &found)
        let (ranges, tokenBytes, tokenStarts) = (found.ranges, found.tokenBytes, found.tokenStarts)
        var occurrences = found.occurrences
        // Stable: each term's occurrences keep the text's order, the first naming the term.
        occurrences.withUnsafeMutableBufferPointer { occurrences in
            withUnsafeTemporaryAllocation(of: Occurrence.self, capacity: occurrences.count) { scratch in
                ColumnSort.sortStably(occurrences, scratch: scratch, keyBits: 32 + 23, by: \.key)
            }
        }
        // Each distinct column: its value in x, before normalising. The product and the squares
        // are summed in ascending column order exactly as `scaledDecision` sums them, so the
        // explanation's decision is the classifier's, bit for bit.
        var values: [(start: Int, end: Int, count: Int, value: Double, weight: Double)] = []
        values.reserveCapacity(occurrences.count)
        var product = 0.0
        var squares = 0.0
        guard case .scaled(let table) = regression.table else { preconditionFailure("an n-gram model has feature scales") }
        let scale = regression.scale
        table.withLookup { lookup in
            // The lookups are cache misses: each column's block is asked for `blockDistance`
            // occurrences ahead and its entry `entryDistance` ahead, as `scaledDecision` does.
            let blockDistance = 48
            let entryDistance = 16
            for index in 0..<min(blockDistance, occurrences.count) { lookup.prefetch(column: occurrences[index].column) }
            var first = 0
            while first < occurrences.count {
                if first + blockDistance < occurrences.count { lookup.prefetch(column: occurrences[first + blockDistance].column) }
                if first + entryDistance < occurrences.count { lookup.prefetchEntry(column: occurrences[first + entryDistance].column) }
                let column = occurrences[first].column
                var end = first
                var count = 0
                while end < occurrences.count && occurrences[end].column == column {
                    count += Int(occurrences[end].count)
                    end += 1
                }
                if let (featureScale, rawWeight) = lookup.entry(ofColumn: column) {
                    let value = Double(featureScale) * NGramVectorizer.termValue(count: count)
                    values.append((first, end, count, value, rawWeight * scale))
                    product += rawWeight * value
                    squares += value * value
                }
                first = end
            }
        }
        let norm = squares.squareRoot()
        let decision = squares > 0 ? product / norm * regression.scale + regression.intercept : regression.intercept
        // Each distinct term: its first occurrence in the text and what it added; and where that
        // occurrence is in `occurrences`.
        var contributions: [(offset: Int, contribution: Double)] = []
        var sortedIndex = [Int32](repeating: 0, count: occurrences.count)
        contributions.reserveCapacity(values.count)
        var shares = [Double](repeating: 0, count: ranges.count)
        for (start, end, count, value, weight) in values {
            let contribution = weight * value / norm
            var term = start
            while term < end {
                var next = term
                var termTotal = 0.0
                while next < end && occurrences[next].key == occurrences[term].key {
                    let occurrence = occurrences[next]
                    // The column's contribution, shared among the occurrences that make its count.
                    let share = contribution * Double(occurrence.count) / Double(count)
                    termTotal += share
                    let order = Int(occurrence.order)
                    let last = Int(occurrence.lastToken)
                    for token in (last - order + 1)...last { shares[token] += share / Double(order) }
                    next += 1
                }
                contributions.append((Int(occurrences[term].position), termTotal))
                sortedIndex[Int(occurrences[term].position)] = Int32(term)
                term = next
            }
        }
        let prefix = NegationTokenizer.negationPrefix
        let kept = Self.strongestFirst(strongest, of: contributions).map { term in
            let occurrence = occurrences[Int(sortedIndex[term.offset])]
            var bytes: [UInt8] = []
            let last = Int(occurrence.lastToken)
            for token in (last - Int(occurrence.order) + 1)...last {
                if !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
                var word = tokenBytes[tokenStarts[token]..<tokenStarts[token + 1]]
                if occurrence.plain && word.starts(with: prefix) && word.count > prefix.count { word = word.dropFirst(prefix.count) }
                bytes.append(contentsOf: word)
            }
            return Explanation.Contribution(token: String(decoding: bytes, as: UTF8.self), contribution: term.contribution)
        }
        let words = zip(ranges, shares).map { Explanation.WordShare(range: $0, contribution: $1) }
        return Explanation(contributions: kept, bias: regression.intercept, decision: decision, words: words)
    }

    /// The tokens of a text (where each is, and its bytes) and the occurrences of its terms.
    private struct OccurrenceCollector: TermVisitor {
        var ranges: [Range<Int>] = []
        var tokenBytes: [UInt8] = []
        /// Where each token's bytes start in `tokenBytes`, and where the last one ends.
        var tokenStarts: [Int] = [0]
        var occurrences: [Occurrence] = []

        /// Room for the terms of a text of `textBytes` UTF-8 bytes: at most n/2 + 2 tokens, each
        /// ending at most 3 terms in 2 views.
        init(textBytes: Int) {
            let tokenBound = textBytes / 2 + 2
            ranges.reserveCapacity(tokenBound)
            tokenBytes.reserveCapacity(2 * textBytes)
            tokenStarts.reserveCapacity(tokenBound + 1)
            occurrences.reserveCapacity(6 * tokenBound)
        }

        @inline(__always)
        mutating func visit(token: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
            ranges.append(range)
            tokenBytes.append(contentsOf: token)
            tokenStarts.append(tokenBytes.count)
        }

        @inline(__always)
        mutating func visit(column: UInt32, count: Int, hash: UInt32, lastToken: Int, order: Int, plain: Bool) {
            occurrences.append(
                Occurrence(
                    key: UInt64(column) << 32 | UInt64(hash), position: Int32(occurrences.count), lastToken: Int32(lastToken),
                    order: UInt8(order), count: UInt8(count), plain: plain))
        }
    }

    /// One occurrence of an n-gram variant's term in a text.
    private struct Occurrence {
        /// The term's column above its whole hash.
        var key: UInt64
        /// The occurrence's place among the text's terms.
        var position: Int32
        var lastToken: Int32
        var order: UInt8
        var count: UInt8
        var plain: Bool

        var column: UInt32 { UInt32(truncatingIfNeeded: key >> 32) }
    }

    /// Of `contributions`, all of them when `count` covers them, else the `count` strongest
    /// of each sign (0 counts with neither); either way strongest first (see
    /// `strongestFirst(_:)`). Only the few kept are ever sorted: the results page keeps five a
    /// side of hundreds.
    private static func strongestFirst(
        _ count: Int, of contributions: [(offset: Int, contribution: Double)]
    ) -> [(offset: Int, contribution: Double)] {
        guard count < contributions.count else { return strongestFirst(contributions) }
        var positive: [(offset: Int, contribution: Double)] = []
        var negative: [(offset: Int, contribution: Double)] = []
        for term in contributions where term.contribution != 0 {
            if term.contribution > 0 {
                Self.insert(term, into: &positive, keeping: count)
            } else {
                Self.insert(term, into: &negative, keeping: count)
            }
        }
        return strongestFirst(positive + negative)
    }

    /// Inserts `term` into `kept` (strongest first, at most `limit`) if it is among the
    /// `limit` strongest.
    private static func insert(
        _ term: (offset: Int, contribution: Double), into kept: inout [(offset: Int, contribution: Double)], keeping limit: Int
    ) {
        guard limit > 0 else { return }
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
