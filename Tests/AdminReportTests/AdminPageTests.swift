import AdminReport
import FeedbackStore
import XCTest

final class AdminPageTests: AdminReportTestCase {
    func render(_ facts: AdminFacts, styles: AdminPage.Styles = .linked) -> String {
        String(decoding: AdminPage.render(facts, styles: styles), as: UTF8.self)
    }

    /// The values of `attribute` of every `<tag class="kind" …>` in `html`, in order.
    func attribute(_ attribute: String, of tag: String, class kind: String, in html: String) -> [String] {
        html.components(separatedBy: "<\(tag) class=\"\(kind)\"").dropFirst().compactMap { element in
            let attributes = element.prefix { $0 != ">" }
            guard let start = attributes.range(of: " \(attribute)=\"") else { return nil }
            return String(attributes[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    func testDayBarsAreAsHighAsTheirRows() throws {
        let store = try makeStore()
        for _ in 0..<4 { try insert("good", sentiment: 1, date: "2026-03-01 10:00:00") }
        for _ in 0..<2 { try insert("good", sentiment: 1, date: "2026-03-02 10:00:00") }
        try insert("held", sentiment: 1, date: "2026-03-02 11:00:00", client: "a", state: .overBudget)

        let html = render(try gather(store))

        XCTAssertEqual(attribute("height", of: "rect", class: "bar-counted", in: html), ["120", "60"])
        XCTAssertEqual(attribute("height", of: "rect", class: "bar-held", in: html), ["30"])
        // Stacked: the held bar sits on the counted one.
        XCTAssertEqual(attribute("y", of: "rect", class: "bar-held", in: html), ["40"])
        XCTAssertTrue(
            html.contains("<th scope=\"row\">2026-03-02</th><td class=\"number\">3</td><td class=\"number\">2</td><td class=\"number\">1</td>"), html)
    }

    func testShareLineIsDrawnAtEachBlocksShareWithItsTable() throws {
        let store = try makeStore()
        for index in 0..<20 { try insert("row \(index)", sentiment: 1, probability: index < 10 || index % 2 == 0 ? 0.9 : 0.1, client: "a") }

        let html = render(try gather(store, blocks: 2))

        // 100% at the top of the plot (y 10), 50% half way down its 120 units.
        let points = try XCTUnwrap(attribute("points", of: "polyline", class: "line", in: html).first)
        XCTAssertEqual(points.split(separator: " ").map { $0.split(separator: ",")[1] }, ["10", "70"])
        XCTAssertTrue(html.contains("<td class=\"number\">50.0%</td><td class=\"number\">75.0%</td>"), "the block's share and the share so far")
        XCTAssertTrue(html.contains("Visitors confirmed 15 of 20 predictions (75.0%)"))
    }

    func testAModelSharedByHostsListsItsVersionsInsteadOfFiles() throws {
        let store = try makeStore()
        var facts = try gather(store)
        facts.sharedVersions = [
            ModelVersion(
                id: 2, checksum: 0x00ab_cdef, watermark: 1234, size: 10, created: "2026-12-03 10:00:00", createdBy: "root@a", origin: "update"),
            ModelVersion(
                id: 1, checksum: 0x1234_5678, watermark: 0, size: 10, created: "2026-12-01 09:00:00", createdBy: "<b>@b", origin: "first worker"),
        ]

        let html = render(facts)

        XCTAssertTrue(html.contains("<h2>Model versions in the shared log</h2>"), html)
        XCTAssertFalse(html.contains("Previous model files"), "no file backups on a shared log")
        XCTAssertTrue(
            html.contains(
                "<tr><th scope=\"row\">2</th><td>update</td><td>root@a</td><td>2026-12-03 10:00:00</td><td class=\"number\">1,234</td><td>00abcdef</td></tr>"
            ), html)
        XCTAssertTrue(html.contains("<td>&lt;b&gt;@b</td>"), "escaped")
        XCTAssertLessThan(try XCTUnwrap(html.range(of: ">2</th>")).lowerBound, try XCTUnwrap(html.range(of: ">1</th>")).lowerBound, "newest first")
    }

    func testEveryDatabaseStringIsEscaped() throws {
        let store = try makeStore()
        try insert("<script>alert(\"&\")</script> superb", sentiment: 1, probability: 0.9, client: "<b>\"&'", state: .overBudget)
        var facts = try gather(store)
        facts.strongestPositive.append(AdminFacts.Word(names: ["<script>\"&"], occurrences: 1, liveWeight: 1, fileWeight: 1))

        let html = render(facts)

        XCTAssertTrue(html.contains("&lt;b&gt;&quot;&amp;&#39;"), "the client id, escaped")
        XCTAssertTrue(html.contains("&lt;script&gt;&quot;&amp;"), "the word, escaped")
        XCTAssertFalse(html.contains("<b>"))
        XCTAssertFalse(html.contains("<script"))
    }

    func testPageHasNoScriptNoStyleAttributeAndOnlyTheSitesStylesheets() throws {
        let store = try makeStore()
        try insert("a superb film", sentiment: 1, date: "2026-03-01 10:00:00", probability: 0.8, client: "a")
        try insert("a dreadful film", sentiment: 0, date: "2026-03-02 10:00:00", probability: 0.7, client: "b")

        let html = render(try gather(store))

        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains(" style="))
        XCTAssertFalse(html.contains("http:") || html.contains("https:"))
        XCTAssertEqual(html.components(separatedBy: "<link rel=\"stylesheet\"").count - 1, 2)
        XCTAssertEqual(html.components(separatedBy: "<link ").count - 1, 3, "the two stylesheets and the site's icon")
        XCTAssertTrue(html.contains("<link rel=\"stylesheet\" href=\"/static/style.css\">"))
        XCTAssertTrue(html.contains("<link rel=\"stylesheet\" href=\"/static/admin.css\">"))
        // Each chart is an image labelled by its caption, with a table of its numbers.
        let charts = html.components(separatedBy: "<figure class=\"chart\">").dropFirst()
        XCTAssertEqual(charts.count, 4)
        for chart in charts {
            let id = try XCTUnwrap(chart.components(separatedBy: "<figcaption id=\"").dropFirst().first?.prefix { $0 != "\"" })
            XCTAssertTrue(chart.contains("<svg role=\"img\" aria-labelledby=\"\(id)\""), String(chart))
            XCTAssertTrue(chart.contains("<table>") && chart.contains("<caption>") && chart.contains("<th scope=\"col\""), String(chart))
        }
        XCTAssertTrue(html.contains("the words seen in the newest 2 feedback texts"))
    }

    func testAnEmptyDatabaseSaysThereIsNoFeedbackYetInsteadOfCharts() throws {
        let html = render(try gather(try makeStore()))

        XCTAssertTrue(html.contains("No feedback yet"))
        XCTAssertTrue(html.contains("No feedback on a prediction yet"))
        XCTAssertFalse(html.contains("<svg"))
        XCTAssertTrue(html.contains("<dt>Feedback applied</dt><dd>rows through id 0</dd>"), html)
    }

    func testEmbeddedStylesAreOneStyleElementAndNothingLinked() throws {
        let html = render(try gather(try makeStore()), styles: .embedded("main { color: red; }\n/* </style><p>escaped</p> */"))

        XCTAssertEqual(html.components(separatedBy: "<style>").count - 1, 1)
        XCTAssertTrue(html.contains("main { color: red; }"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("href=\"/\""), "no site behind the file to link to")
        XCTAssertEqual(html.components(separatedBy: "</style>").count - 1, 1, "the CSS cannot end its element")
    }
}
