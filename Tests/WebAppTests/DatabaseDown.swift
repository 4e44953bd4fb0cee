/// What a service whose database is down throws.
struct DatabaseDown: Error, CustomStringConvertible {
    var description: String { "data/feedback.sqlite: cannot insert a row: database is locked" }
}
