import SentimentModel

/// The fields the results page's feedback form posts to `/thanks`, as the book's form names
/// them, plus the signature of the review and the prediction.
struct FeedbackForm: Equatable {
    let review: String
    let prediction: Sentiment
    let signature: String
    /// Which button was pressed: `Correct` (true) or `Incorrect`.
    let isCorrect: Bool

    /// Nil when a field is missing or holds what the page never sends.
    init?(_ fields: [String: String]) {
        guard let review = fields["review"], let signature = fields["signature"] else { return nil }
        switch fields["prediction"] {
        case "0": prediction = .negative
        case "1": prediction = .positive
        default: return nil
        }
        switch fields["feedback_button"] {
        case "Correct": isCorrect = true
        case "Incorrect": isCorrect = false
        default: return nil
        }
        self.review = Review.canonical(review)
        self.signature = signature
    }

    /// The true label according to the visitor: Incorrect flips the prediction.
    var sentiment: Sentiment {
        isCorrect ? prediction : (prediction == .positive ? .negative : .positive)
    }
}
