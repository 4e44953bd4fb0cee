import FeedbackStore
import SentimentModel

/// Whether a stored feedback row teaches the model, and if not, why: the one rule every reader
/// of the feedback applies. The live workers and the update tool must skip exactly the same
/// rows, or they would build different models from the same table; so the rule depends only
/// on the row as `FeedbackStore` reads it, never on who reads it or when.
public enum FeedbackVerdict: Equatable, Sendable {
    case learn(LabeledSample)
    case skip(SkipReason)

    /// The longest review learned, in Characters as a visitor counts them: the web form's upper
    /// bound (`WebSettings.maxReviewLength` takes it from here), applied again to rows the
    /// book's scripts or a hand edit stored.
    public static let maxReviewLength = 20_000

    /// The largest SGD step one feedback row may take (`LogisticRegression.learn`): no row moves
    /// the decision (the log-odds) of any text by more than 1.01 times this. Chosen with the
    /// influence experiment (`sentiment-benchmark --influence`): 20 rows of one client, all
    /// counted, move a confident verdict by at most 2 in log-odds, so they cannot flip one
    /// (P ≥ 0.95 is 2.94), while 40 distinct clients' corrections of a borderline review move it
    /// by tens of points. A constant, not a setting: every reader must learn the same steps.
    public static let maximumStep = 0.1

    /// Why a row teaches nothing, in the order they are checked.
    public enum SkipReason: Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// An admin rejected it (`movieclassifier feedback reject`).
        case rejected
        /// The trust rules hold it (over its client's budget, or a correction of a confident
        /// verdict without enough agreement) until an admin accepts it.
        case held
        /// A label other than 0 or 1 (the book's scripts may store any integer).
        case invalidLabel
        /// Empty, or only whitespace: nothing to learn from.
        case blank
        /// Longer than `maxReviewLength`.
        case tooLong
        /// An earlier row has the same review and label: learned once already, or rejected.
        case repeated

        public var description: String {
            switch self {
            case .rejected: "rejected by an admin"
            case .held: "held by the trust rules, waiting for an admin"
            case .invalidLabel: "label not 0 or 1"
            case .blank: "empty review"
            case .tooLong: "longer than \(FeedbackVerdict.maxReviewLength) characters"
            case .repeated: "repeats an earlier row (the same client's text and label, or the same review and label)"
            }
        }
    }

    public init(_ row: FeedbackRow) {
        if row.rejected {
            self = .skip(.rejected)
        } else if row.state.isHeld {
            self = .skip(.held)
        } else if let reason = Self.problem(review: row.review, sentiment: row.sentiment) {
            self = .skip(reason)
        } else if row.repeatOf != nil || row.state == .repeated {
            self = .skip(.repeated)
        } else {
            self = .learn(LabeledSample(text: row.review, sentiment: Sentiment(rawValue: row.sentiment)!))
        }
    }

    /// What is wrong with the review and label themselves, `nil` when nothing is. Characters
    /// are counted only when the UTF-8 length could exceed the bound (a Character is at least
    /// one byte), so a typical review costs a length check.
    static func problem(review: String, sentiment: Int) -> SkipReason? {
        if Sentiment(rawValue: sentiment) == nil { return .invalidLabel }
        if review.unicodeScalars.allSatisfy(\.properties.isWhitespace) { return .blank }
        if review.utf8.count > maxReviewLength && review.count > maxReviewLength { return .tooLong }
        return nil
    }
}
