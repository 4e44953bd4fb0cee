import SentimentModel

/// A page whose body depends on nothing in the request.
enum ConstantPage: Hashable {
    case emptyForm
    case thanks(Sentiment)
    case error(ErrorPage)
}
