import SentimentModel

/// What the results page shows of an `Explanation`: the review with the words that pushed the
/// prediction most marked, and the strongest features towards each side with their values.
///
/// The marking rule: in each direction, the `marksPerDirection` word occurrences with the
/// largest shares, and only those whose share moves the log-odds by at least `minimumShare`.
/// Six a side keeps a long review readable (at most twelve marks) while showing a short one's
/// few decisive words; below 0.01 in log-odds (a quarter of a percentage point near 50%) a word
/// decided nothing, and marking it would only be noise.
struct ResultsExplanation {
    static let marksPerDirection = 6
    static let minimumShare = 0.01
    static let featuresPerDirection = 5
    /// A feature shown with its value must not read "+0.00".
    static let minimumContribution = 0.005

    /// The review, escaped piece by piece, with the marked words in `<mark>`.
    let markedReview: HTMLFragment
    /// Whether any word is marked (the legend is shown only then).
    let hasMarks: Bool
    /// The list (or the sentence saying there is none) of the features towards each side.
    let pushedPositive: HTMLFragment
    let pushedNegative: HTMLFragment

    /// `review` must be the text `explanation` explains: its word ranges are offsets in its UTF-8.
    init(review: String, explanation: Explanation) {
        let marks = Self.marks(explanation.words)
        hasMarks = !marks.isEmpty
        markedReview = Self.markedReview(review, marks: marks)
        pushedPositive = Self.list(explanation.strongest(Self.featuresPerDirection, towards: .positive), towards: .positive)
        pushedNegative = Self.list(explanation.strongest(Self.featuresPerDirection, towards: .negative), towards: .negative)
    }

    /// The words to mark, in text order: the `marksPerDirection` largest shares of each sign
    /// (the word given first wins among equals), chosen in one pass without sorting every word.
    static func marks(_ words: [Explanation.WordShare]) -> [Explanation.WordShare] {
        var positive: [Int] = []
        var negative: [Int] = []
        positive.reserveCapacity(marksPerDirection + 1)
        negative.reserveCapacity(marksPerDirection + 1)
        for index in words.indices where abs(words[index].contribution) >= minimumShare {
            if words[index].contribution > 0 {
                keep(index, in: &positive, of: words)
            } else if words[index].contribution < 0 {
                keep(index, in: &negative, of: words)
            }
        }
        return (positive + negative).map { words[$0] }.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Inserts `index` into `kept` (largest share first, at most `marksPerDirection`) if its
    /// word is among the largest; a later word never displaces an equal earlier one.
    private static func keep(_ index: Int, in kept: inout [Int], of words: [Explanation.WordShare]) {
        let share = abs(words[index].contribution)
        var position = kept.count
        while position > 0 && abs(words[kept[position - 1]].contribution) < share { position -= 1 }
        guard position < marksPerDirection else { return }
        kept.insert(index, at: position)
        if kept.count > marksPerDirection { kept.removeLast() }
    }

    private static func markedReview(_ review: String, marks: [Explanation.WordShare]) -> HTMLFragment {
        var fragment = HTMLFragment()
        var review = review
        review.withUTF8 { text in
            var written = 0
            for mark in marks {
                let range = mark.range
                // A range that is not whole characters of this text, or overlaps the last mark,
                // is not marked: the page shows the review as it is.
                guard range.lowerBound >= written, range.upperBound <= text.count, !range.isEmpty,
                    isCharacterBoundary(range.lowerBound, in: text), isCharacterBoundary(range.upperBound, in: text)
                else { continue }
                fragment.append(escaping: UnsafeBufferPointer(rebasing: text[written..<range.lowerBound]))
                fragment.append(markup: mark.contribution > 0 ? #"<mark class="push-positive">"# : #"<mark class="push-negative">"#)
                fragment.append(escaping: UnsafeBufferPointer(rebasing: text[range]))
                fragment.append(markup: "</mark>")
                written = range.upperBound
            }
            fragment.append(escaping: UnsafeBufferPointer(rebasing: text[written...]))
        }
        return fragment
    }

    /// Whether `offset` starts a character (or ends the text): not a UTF-8 continuation byte.
    private static func isCharacterBoundary(_ offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        offset == text.count || text[offset] & 0xC0 != 0x80
    }

    private static func list(_ contributions: [Explanation.Contribution], towards sentiment: Sentiment) -> HTMLFragment {
        let shown = contributions.filter { abs($0.contribution) >= minimumContribution }
        var fragment = HTMLFragment()
        guard !shown.isEmpty else {
            fragment.append(
                markup: sentiment == .positive
                    ? #"<p class="none">No word pushed towards positive.</p>"# : #"<p class="none">No word pushed towards negative.</p>"#)
            return fragment
        }
        fragment.append(markup: #"<ul class="pushed">"#)
        for contribution in shown {
            fragment.append(markup: #"<li><span class="feature">"#)
            fragment.append(escaping: contribution.token)
            fragment.append(markup: #"</span> <span class="value">"#)
            fragment.append(escaping: signed(contribution.contribution))
            fragment.append(markup: "</span></li>")
        }
        fragment.append(markup: "</ul>")
        return fragment
    }

    /// `value` with two decimals and its sign, "+0.42" or "−0.42" (the minus sign U+2212, which
    /// screen readers read as "minus").
    static func signed(_ value: Double) -> String {
        let hundredths = Int((abs(value) * 100).rounded())
        let fraction = hundredths % 100
        return "\(value < 0 ? "\u{2212}" : "+")\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
