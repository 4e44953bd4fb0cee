import Glibc

extension SentimentClassifier {
    /// The n-gram variant's explanation, in a few passes over flat buffers (it is on the results
    /// page's path): the tokens and the terms in one pass of the tokenizer
    /// (`NGramVectorizer.forEachTerm`, no term's bytes copied) into `TermOccurrences`; the terms
    /// the table holds kept, as the ranks of their columns; those sorted by column, in the
    /// text's order within one (to count each column and look it up once), in linear time; a
    /// column's terms told apart by their whole hashes (two different terms of one column with
    /// the same 32-bit hash, vanishingly rare, would show as one); the strongest features
    /// selected without sorting them all; a String made only for the features kept, from the
    /// tokens.
    func explainNGrams(_ text: String, vectorizer: NGramVectorizer, strongest: Int) -> Explanation {
        guard case .scaled(let table) = regression.table else { preconditionFailure("an n-gram model has feature scales") }
        var found = TermOccurrences(textBytes: text.utf8.count)
        defer { found.deallocate() }
        vectorizer.forEachTerm(in: text, &found)
        table.withLookup { found.keepHeldInColumnOrder(in: $0) }
        return withUnsafeTemporaryAllocation(of: ColumnTerms.self, capacity: max(found.keyCount, 1)) { columns in
            let (columnCount, product, squares) = Self.gatherColumns(of: found, table: table, scale: regression.scale, into: columns)
            let norm = squares.squareRoot()
            let decision = squares > 0 ? product / norm * regression.scale + regression.intercept : regression.intercept
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: max(found.tokenCount, 1)) { shares in
                shares.initialize(repeating: 0)
                let contributions = Self.shareOut(UnsafeBufferPointer(rebasing: columns[..<columnCount]), of: found, norm: norm, into: shares)
                let kept = Self.strongestFirst(strongest, of: contributions).map { term in
                    Explanation.Contribution(token: Self.name(ofTermAt: term.offset, in: found), contribution: term.contribution)
                }
                let words = (0..<found.tokenCount).map { index in
                    let range = found.tokenRanges[index]
                    return Explanation.WordShare(range: Int(range.start)..<Int(range.end), contribution: shares[index])
                }
                return Explanation(contributions: kept, bias: regression.intercept, decision: decision, words: words)
            }
        }
    }

    /// The occurrences of one column the table holds (`first..<end` of the sorted keys), how
    /// many times they count in all, the column's value in x before normalising, and its
    /// effective weight.
    private struct ColumnTerms {
        var first: Int
        var end: Int
        var count: Int
        var value: Double
        var weight: Double
    }

    /// Each distinct column of the sorted occurrences (all held by the table, as ranks), into
    /// `columns`; how many, and `Σ raw weight × value` and `Σ value²` over them. Summed in
    /// ascending column order exactly as `decision` sums them, so that the explanation's decision
    /// is the classifier's, bit for bit.
    private static func gatherColumns(
        of found: TermOccurrences, table: ScaledColumnTable, scale: Double, into columns: UnsafeMutableBufferPointer<ColumnTerms>
    ) -> (count: Int, product: Double, squares: Double) {
        let keys = found.keys
        let count = found.keyCount
        var columnCount = 0
        var product = 0.0
        var squares = 0.0
        NGramVectorizer.withTermValue { termValue in
            table.withLookup { lookup in
                // The entries are cache misses: each is asked for `entryDistance` occurrences
                // ahead, as `decision` does.
                let entryDistance = 16
                for index in 0..<min(entryDistance, count) { lookup.prefetchEntry(atRank: TermOccurrences.rank(ofKey: keys[index])) }
                var first = 0
                while first < count {
                    if first + entryDistance < count { lookup.prefetchEntry(atRank: TermOccurrences.rank(ofKey: keys[first + entryDistance])) }
                    let rank = TermOccurrences.rank(ofKey: keys[first])
                    var end = first
                    var times = 0
                    while end < count && TermOccurrences.rank(ofKey: keys[end]) == rank {
                        times += found.times(at: TermOccurrences.position(ofKey: keys[end]))
                        end += 1
                    }
                    let (featureScale, rawWeight) = lookup.entry(atRank: rank)
                    let value = Double(featureScale) * termValue(times)
                    columns[columnCount] = ColumnTerms(first: first, end: end, count: times, value: value, weight: rawWeight * scale)
                    columnCount += 1
                    product += rawWeight * value
                    squares += value * value
                    first = end
                }
            }
        }
        return (columnCount, product, squares)
    }

    /// Each distinct term's contribution, with the position of its first occurrence: its
    /// column's contribution shared among the occurrences that make the column's count, and each
    /// occurrence's share spread evenly over its words' `shares`.
    private static func shareOut(
        _ columns: UnsafeBufferPointer<ColumnTerms>, of found: TermOccurrences, norm: Double, into shares: UnsafeMutableBufferPointer<Double>
    ) -> [(offset: Int, contribution: Double)] {
        let keys = found.keys
        let hashes = found.hashes
        return [(offset: Int, contribution: Double)](unsafeUninitializedCapacity: found.keyCount) { contributions, termCount in
            termCount = 0
            for column in columns {
                let contribution = column.weight * column.value / norm
                sortByHash(keys + column.first, count: column.end - column.first, hashes: hashes)
                var term = column.first
                while term < column.end {
                    let hash = hashes[TermOccurrences.position(ofKey: keys[term])]
                    var next = term
                    var termTotal = 0.0
                    while next < column.end && hashes[TermOccurrences.position(ofKey: keys[next])] == hash {
                        let position = TermOccurrences.position(ofKey: keys[next])
                        let share = contribution * Double(found.times(at: position)) / Double(column.count)
                        termTotal += share
                        let order = found.order(at: position)
                        let last = Int(found.lastTokens[position])
                        for token in (last - order + 1)...last { shares[token] += share / Double(order) }
                        next += 1
                    }
                    contributions.initializeElement(at: termCount, to: (TermOccurrences.position(ofKey: keys[term]), termTotal))
                    termCount += 1
                    term = next
                }
            }
        }
    }

    /// Orders the keys of one column's occurrences by their terms' hashes, each term's in the
    /// text's order (a stable insertion sort): a column holds one term but for a collision, so
    /// nearly always this only checks that the hashes agree.
    @inline(__always)
    private static func sortByHash(_ keys: UnsafeMutablePointer<UInt64>, count: Int, hashes: UnsafeMutablePointer<UInt32>) {
        let firstHash = hashes[TermOccurrences.position(ofKey: keys[0])]
        guard (1..<max(count, 1)).contains(where: { hashes[TermOccurrences.position(ofKey: keys[$0])] != firstHash }) else { return }
        for index in 1..<count {
            let key = keys[index]
            let hash = hashes[TermOccurrences.position(ofKey: key)]
            var position = index
            while position > 0 && hashes[TermOccurrences.position(ofKey: keys[position - 1])] > hash {
                keys[position] = keys[position - 1]
                position -= 1
            }
            keys[position] = key
        }
    }

    /// The name of the term whose occurrence is at `position`: its tokens joined by a space,
    /// without their `not_` in the plain view.
    private static func name(ofTermAt position: Int, in found: TermOccurrences) -> String {
        let prefix = NegationTokenizer.negationPrefix
        let last = Int(found.lastTokens[position])
        let plain = found.isPlain(at: position)
        var bytes: [UInt8] = []
        for token in (last - found.order(at: position) + 1)...last {
            if !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
            var word = found.token(token)
            if plain && word.starts(with: prefix) && word.count > prefix.count { word = UnsafeBufferPointer(rebasing: word.dropFirst(prefix.count)) }
            bytes.append(contentsOf: word)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
