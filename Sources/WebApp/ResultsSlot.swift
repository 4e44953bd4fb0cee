import SentimentModel

/// The values of a results page that change from request to request, in the order
/// `PageSkeleton.render` takes them: the plain review (the hidden field the signature covers),
/// the review with its marked words, the percentage, the signature, and the two lists of
/// what pushed the prediction.
enum ResultsSlot {
    static let names = ["review", "markedReview", "percent", "signature", "pushedPositive", "pushedNegative"]
}
