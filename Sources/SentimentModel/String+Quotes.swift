import Support

extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }

    var trimmingQuotes: String {
        var text = self
        if let first = text.first, first == "'" || first == "\"" { text.removeFirst() }
        if let last = text.last, last == "'" || last == "\"" { text.removeLast() }
        return text
    }
}
