import SentimentModel
import XCTest

@testable import WebApp

final class ResultsExplanationTests: XCTestCase {
    typealias Share = Explanation.WordShare

    func html(_ fragment: HTMLFragment) -> String { String(decoding: fragment.bytes, as: UTF8.self) }

    func testAtMostSixWordsASideAreMarkedTheStrongestInTextOrderAndNoneBelowTheThreshold() {
        // Words 0-7 push towards positive with shares 0.08 down to 0.01, 8-15 towards negative,
        // 16-17 are below the threshold.
        var words = (0..<8).map { Share(range: ($0 * 2)..<($0 * 2 + 1), contribution: Double(8 - $0) / 100) }
        words += (8..<16).map { Share(range: ($0 * 2)..<($0 * 2 + 1), contribution: -Double($0 - 7) / 100) }
        words += [Share(range: 32..<33, contribution: 0.009), Share(range: 34..<35, contribution: -0.009)]
        let marks = ResultsExplanation.marks(words.reversed())
        XCTAssertEqual(marks.map(\.range.lowerBound), [0, 2, 4, 6, 8, 10, 20, 22, 24, 26, 28, 30])
        XCTAssertEqual(ResultsExplanation.marks([Share(range: 0..<1, contribution: 0)]), [])
    }

    func testARangeThatIsNotWholeCharactersOrOverlapsAMarkLeavesTheTextUnmarked() {
        let review = "é superb wonderful"  // "é" is 2 bytes: 0..<2
        let explanation = Explanation(
            contributions: [], bias: 0, decision: 1.4,
            words: [
                Share(range: 1..<2, contribution: 0.5), Share(range: 3..<9, contribution: 0.4), Share(range: 5..<12, contribution: 0.3),
                Share(range: 10..<99, contribution: 0.2),
            ])
        XCTAssertEqual(
            html(ResultsExplanation(review: review, explanation: explanation).markedReview), #"é <mark class="push-positive">superb</mark> wonderful"#
        )
    }

    func testListsShowTheStrongestFeaturesOfEachSideWithSignedValuesAndSayWhenThereIsNone() {
        let explanation = Explanation(
            contributions: [
                .init(token: "superb", contribution: 0.734), .init(token: "not <good>", contribution: -0.421),
                .init(token: "film", contribution: 0.051),
                .init(token: "the", contribution: -0.004),
            ], bias: 0.1, decision: 0.46, words: [])
        let shown = ResultsExplanation(review: "superb, not good film", explanation: explanation)
        XCTAssertEqual(
            html(shown.pushedPositive),
            #"<ul class="pushed"><li><span class="feature">superb</span> <span class="value">+0.73</span></li>"#
                + #"<li><span class="feature">film</span> <span class="value">+0.05</span></li></ul>"#)
        XCTAssertEqual(
            html(shown.pushedNegative),
            #"<ul class="pushed"><li><span class="feature">not &lt;good&gt;</span> <span class="value">−0.42</span></li></ul>"#)
        XCTAssertFalse(shown.hasMarks)
        let nothing = ResultsExplanation(
            review: "the", explanation: Explanation(contributions: [.init(token: "the", contribution: -0.004)], bias: 0, decision: -0.004, words: []))
        XCTAssertEqual(html(nothing.pushedNegative), #"<p class="none">No word pushed towards negative.</p>"#)
        XCTAssertEqual(html(nothing.pushedPositive), #"<p class="none">No word pushed towards positive.</p>"#)
    }

    func testSignedValuesHaveTwoDecimalsAndATypographicMinus() {
        XCTAssertEqual(ResultsExplanation.signed(0.4249), "+0.42")
        XCTAssertEqual(ResultsExplanation.signed(-1.056), "\u{2212}1.06")
        XCTAssertEqual(ResultsExplanation.signed(2.1), "+2.10")
    }
}
