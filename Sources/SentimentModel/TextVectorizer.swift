/// How a model turns a text into features: the part of a model its variant decides.
public enum TextVectorizer: Sendable {
    case book(HashingVectorizer)
    case ngram(NGramVectorizer)

    public var variant: ModelVariant {
        switch self {
        case .book: .book
        case .ngram: .ngram
        }
    }

    public var featureCount: Int {
        switch self {
        case .book(let vectorizer): vectorizer.featureCount
        case .ngram(let vectorizer): vectorizer.featureCount
        }
    }
}
