/// The two classes, numbered as the book numbers them.
public enum Sentiment: Int, Sendable, CaseIterable, Equatable {
    case negative = 0
    case positive = 1
}
