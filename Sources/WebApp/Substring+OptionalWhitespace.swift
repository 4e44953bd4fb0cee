extension Substring {
    /// Without HTTP's optional whitespace (spaces and tabs) at either end.
    func trimmingOptionalWhitespace() -> Substring {
        let isOWS: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isOWS($0) }), let last = lastIndex(where: { !isOWS($0) }) else { return "" }
        return self[first...last]
    }
}
