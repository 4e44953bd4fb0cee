import SentimentModel
import XCTest

@testable import WebApp

final class PageSkeletonTests: XCTestCase {
    func testSkeletonRendersTheResultsPageExactlyAsTheTemplateLibrary() throws {
        let templates = try Templates(folder: Browser.templates)
        let reviews = [
            "A plain review with nothing to escape, long enough.",
            #"<script>alert("x")</script> & 'quotes' in "attributes" > here"#,
            "A quote with a combining mark \"\u{301} and an emoji 🎬, line\nbreaks\n",
            "Control characters \u{1}0\u{2} that look like a marker",
            "",
        ]
        for hasMarks in [false, true] {
            let fixed: [String: Any] = ["pageTitle": "Prediction: positive", "label": "positive", "prediction": 1, "hasMarks": hasMarks]
            let skeleton = try templates.skeleton(.results, fixed, slots: ResultsSlot.names)
            for review in reviews {
                let words = review.isEmpty ? [] : [Explanation.WordShare(range: 0..<1, contribution: 0.5)]
                let contributions = [Explanation.Contribution(token: "<b>", contribution: 0.5), .init(token: "x", contribution: -0.25)]
                let shown = ResultsExplanation(
                    review: review, explanation: Explanation(contributions: contributions, bias: 0, decision: 0.25, words: words))
                let fragments = [
                    HTMLFragment(escaping: review), shown.markedReview, HTMLFragment(escaping: "93.12"),
                    HTMLFragment(escaping: String(repeating: "ab", count: 32)), shown.pushedPositive, shown.pushedNegative,
                ]
                var context = fixed
                for (name, fragment) in zip(ResultsSlot.names, fragments) { context[name] = String(decoding: fragment.bytes, as: UTF8.self) }
                context["review"] = review
                context["percent"] = "93.12"
                context["signature"] = String(repeating: "ab", count: 32)
                XCTAssertEqual(
                    String(decoding: skeleton.render(fragments), as: UTF8.self),
                    String(decoding: templates.render(.results, context), as: UTF8.self),
                    review
                )
            }
        }
    }

    func testEveryValueFillsEachPlaceItAppears() throws {
        let page = Array("<p>\(PageSkeleton.marker(1))</p><i>\(PageSkeleton.marker(0))</i><b>\(PageSkeleton.marker(1))</b>".utf8)
        let skeleton = try XCTUnwrap(PageSkeleton(rendered: page, valueCount: 2))
        XCTAssertEqual(String(decoding: skeleton.render(["a&b", "<x>"]), as: UTF8.self), "<p>&lt;x&gt;</p><i>a&amp;b</i><b>&lt;x&gt;</b>")
    }

    func testATemplateHoldingTheReservedBytesIsRefused() {
        XCTAssertNil(PageSkeleton(rendered: Array("stray \u{2} byte".utf8), valueCount: 1))
        XCTAssertNil(PageSkeleton(rendered: Array("unclosed \u{1}0".utf8), valueCount: 1))
        XCTAssertNil(PageSkeleton(rendered: Array("unknown \(PageSkeleton.marker(3))".utf8), valueCount: 1))
    }
}
