import XCTest

@testable import WebApp

final class PageSkeletonTests: XCTestCase {
    func testSkeletonRendersTheResultsPageExactlyAsTheTemplateLibrary() throws {
        let templates = try Templates(folder: Browser.templates)
        let fixed: [String: Any] = ["pageTitle": "Prediction: positive", "label": "positive", "prediction": 1]
        let skeleton = try templates.skeleton(.results, fixed, slots: ResultsSlot.names)
        let reviews = [
            "A plain review with nothing to escape, long enough.",
            #"<script>alert("x")</script> & 'quotes' in "attributes" > here"#,
            "A quote with a combining mark \"\u{301} and an emoji 🎬, line\nbreaks\n",
            "Control characters \u{1}0\u{2} that look like a marker",
            "",
        ]
        for review in reviews {
            let values = [review, "93.12", String(repeating: "ab", count: 32)]
            var context = fixed
            for (name, value) in zip(ResultsSlot.names, values) { context[name] = value }
            XCTAssertEqual(
                String(decoding: skeleton.render(values), as: UTF8.self),
                String(decoding: templates.render(.results, context), as: UTF8.self),
                review
            )
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
