import XCTest

@testable import SentimentModel

final class StrongestContributionsTests: XCTestCase {
    /// The selection keeps what sorting them all and taking each side's first would keep, ties
    /// (equal magnitudes, the earlier offset first) and zeros included, in any order of arrival.
    func testTheStrongestOfEachSideAreThoseOfAFullSortWhateverTheOrderAndTies() {
        var generator = SystemRandomNumberGenerator()
        let stronger: ((offset: Int, contribution: Double), (offset: Int, contribution: Double)) -> Bool = {
            abs($0.contribution) != abs($1.contribution) ? abs($0.contribution) > abs($1.contribution) : $0.offset < $1.offset
        }
        for _ in 0..<500 {
            let termCount = Int.random(in: 0...60, using: &generator)
            // Few magnitudes, so that ties are common.
            let contributions = (0..<termCount).map { offset in
                (offset: offset, contribution: Double(Int.random(in: -6...6, using: &generator)) / 4)
            }.shuffled(using: &generator)
            let count = Int.random(in: 0...8, using: &generator)
            let sorted = contributions.sorted(by: stronger)
            let expected =
                count < contributions.count
                ? (Array(sorted.filter { $0.contribution > 0 }.prefix(count)) + Array(sorted.filter { $0.contribution < 0 }.prefix(count)))
                    .sorted(by: stronger) : sorted
            let kept = SentimentClassifier.strongestFirst(count, of: contributions)
            XCTAssertEqual(kept.map(\.offset), expected.map(\.offset), "keep \(count) a side of \(contributions)")
            XCTAssertEqual(kept.map(\.contribution), expected.map(\.contribution))
        }
    }
}
