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
        let sorted = Self.strongestFirst(contributions.enumerated().map { ($0.offset, $0.element.contribution) })
        return Explanation(
            contributions: Self.keeping(strongest, of: sorted).map { contributions[$0.offset] },
            bias: regression.intercept, decision: contributions.reduce(regression.intercept) { $0 + $1.contribution }, words: words)
    }

    /// A byte of a word character as Python's `\w` sees it: ASCII letters, digits and `_`, and
    /// (approximately) any non-ASCII character.
    private static func isBookWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    /// The n-gram variant's explanation, in a few passes over flat arrays (it is on the results
    /// page's path): the terms as `NGramVectorizer.forEachColumn` finds them (no term's bytes
    /// copied), sorted by column (to count each column and look it up once) and, within a
    /// column, by the term's whole hash (to add up a term's occurrences; two different terms of
    /// one column with the same 32-bit hash, vanishingly rare, would show as one); a String made
    /// only for the features kept, from the tokens.
    private func explainNGrams(_ text: String, strongest: Int) -> Explanation {
        var ranges: [Range<Int>] = []
        var tokenBytes: [UInt8] = []
        var tokenStarts: [Int] = [0]
        NegationTokenizer().forEachToken(in: text) { token, range in
            ranges.append(range)
            tokenBytes.append(contentsOf: token)
            tokenStarts.append(tokenBytes.count)
        }
        struct Occurrence {
            var lastToken: Int32
            var order: UInt8
            var count: UInt8
            var plain: Bool
        }
        var occurrences: [Occurrence] = []
        // The column above the term's hash; the sort is stable, so each run keeps the text's order.
        var keys: [(key: UInt64, index: Int32)] = []
        NGramVectorizer.forEachColumn(in: text) { column, count, hash, lastToken, order, plain in
            keys.append((UInt64(column) << 32 | UInt64(hash), Int32(occurrences.count)))
            occurrences.append(Occurrence(lastToken: Int32(lastToken), order: UInt8(order), count: UInt8(count), plain: plain))
        }
        keys.sort { $0.key < $1.key }
        // Each distinct column: its value in x, before normalising. The product and the squares
        // are summed in ascending column order exactly as `scaledDecision` sums them, so the
        // explanation's decision is the classifier's, bit for bit.
        var values: [(start: Int, end: Int, count: Int, value: Double, weight: Double)] = []
        var product = 0.0
        var squares = 0.0
        // The lookups are cache misses in a large table: the columns about 40 ahead are asked for
        // while these are read.
        let prefetchDistance = 64
        for index in 0..<min(prefetchDistance, keys.count) { regression.prefetch(column: UInt32(keys[index].key >> 32)) }
        var first = 0
        while first < keys.count {
            if first + prefetchDistance < keys.count { regression.prefetch(column: UInt32(keys[first + prefetchDistance].key >> 32)) }
            var end = first
            var count = 0
            while end < keys.count && keys[end].key >> 32 == keys[first].key >> 32 {
                count += Int(occurrences[Int(keys[end].index)].count)
                end += 1
            }
            let (featureScale, rawWeight) = regression.entry(ofColumn: Int(keys[first].key >> 32))
            let value = Double(featureScale) * NGramVectorizer.termValue(count: count)
            if value != 0 {
                values.append((first, end, count, value, rawWeight * regression.scale))
                product += rawWeight * value
                squares += value * value
            }
            first = end
        }
        let norm = squares.squareRoot()
        let decision = squares > 0 ? product / norm * regression.scale + regression.intercept : regression.intercept
        // Each distinct term: its first occurrence and what it added.
        var contributions: [(offset: Int, contribution: Double)] = []
        var shares = [Double](repeating: 0, count: ranges.count)
        for (start, end, count, value, weight) in values {
            let contribution = weight * value / norm
            var term = start
            while term < end {
                var next = term
                var termTotal = 0.0
                while next < end && keys[next].key == keys[term].key {
                    let occurrence = occurrences[Int(keys[next].index)]
                    // The column's contribution, shared among the occurrences that make its count.
                    let share = contribution * Double(occurrence.count) / Double(count)
                    termTotal += share
                    let order = Int(occurrence.order)
                    let last = Int(occurrence.lastToken)
                    for token in (last - order + 1)...last { shares[token] += share / Double(order) }
                    next += 1
                }
                contributions.append((Int(keys[term].index), termTotal))
                term = next
            }
        }
        let prefix = NegationTokenizer.negationPrefix
        let kept = Self.keeping(strongest, of: Self.strongestFirst(contributions)).map { term in
            let occurrence = occurrences[term.offset]
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

    /// Largest magnitude first; ties by offset (the order of the text).
    private static func strongestFirst(_ contributions: [(offset: Int, contribution: Double)]) -> [(offset: Int, contribution: Double)] {
        contributions.sorted {
            abs($0.contribution) != abs($1.contribution) ? abs($0.contribution) > abs($1.contribution) : $0.offset < $1.offset
        }
    }

    /// The first `count` of each sign (0 counts with neither), in their order.
    private static func keeping(_ count: Int, of sorted: [(offset: Int, contribution: Double)]) -> [(offset: Int, contribution: Double)] {
        guard count < sorted.count else { return sorted }
        var positive = 0
        var negative = 0
        return sorted.filter { term in
            if term.contribution > 0 {
                positive += 1
                return positive <= count
            }
            if term.contribution < 0 {
                negative += 1
                return negative <= count
            }
            return false
        }
    }
}
