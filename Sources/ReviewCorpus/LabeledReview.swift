/// A review and its label, as read from the book's `movie_data.csv`.
public struct LabeledReview: Sendable, Equatable {
    public var text: String
    /// 0 (negative) or 1 (positive).
    public var label: Int
    /// The line the row starts on, for messages.
    public var line: Int

    public init(text: String, label: Int, line: Int) {
        self.text = text
        self.label = label
        self.line = line
    }
}
