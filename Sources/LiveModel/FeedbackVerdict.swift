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

    /// Why a row teaches nothing, in the order they are checked.
    public enum SkipReason: Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// An admin rejected it (`movieclassifier feedback reject`).
        case rejected
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
            case .invalidLabel: "label not 0 or 1"
            case .blank: "empty review"
            case .tooLong: "longer than \(FeedbackVerdict.maxReviewLength) characters"
            case .repeated: "repeats an earlier row (same review, same label)"
            }
        }
    }

    public init(_ row: FeedbackRow) {
        if row.rejected {
            self = .skip(.rejected)
        } else if let reason = Self.problem(review: row.review, sentiment: row.sentiment) {
            self = .skip(reason)
        } else if row.repeatOf != nil {
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
