import SentimentModel

/// The values of a results page that change from request to request, in the order
/// `PageSkeleton.render` takes them.
enum ResultsSlot {
    static let names = ["review", "percent", "signature"]
}
