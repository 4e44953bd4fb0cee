import Foundation

/// What the clients of a load saw (`XCTestCase.feedbackLoad`).
struct LoadRecord {
    /// One request: when it began, where it went, its status (0: no answer) and how long the
    /// answer took.
    struct Outcome {
        let began: Date
        let path: String
        let status: Int
        let seconds: Double
    }

    var outcomes: [Outcome] = []
    /// The reviews whose feedback was sent, each one once.
    var sent: Set<String> = []
    /// The reviews whose feedback was answered 200: each one promised to be in the database.
    var acknowledged: Set<String> = []

    mutating func add(_ other: LoadRecord) {
        outcomes += other.outcomes
        sent.formUnion(other.sent)
        acknowledged.formUnion(other.acknowledged)
    }

    func statuses(_ path: String) -> [Int] { outcomes.filter { $0.path == path }.map(\.status) }
}
