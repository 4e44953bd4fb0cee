import XCTest

@testable import WebApp

final class HTMLEscapingTests: XCTestCase {
    func testEscapesTheFiveCharactersByteByByteAndKeepsEverythingElse() {
        let escaping = HTMLEscaping()
        XCTAssertEqual(
            escaping.escapeText("<a href=\"x\">Tom & Jerry's</a> café ✓"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; café ✓")
        XCTAssertEqual(escaping.escapeText("\"\u{301}<\u{338}"), "&quot;\u{301}&lt;\u{338}")
        XCTAssertEqual(escaping.escapeText("nothing to escape, naïve\n"), "nothing to escape, naïve\n")
        XCTAssertEqual(escaping.escapeText(""), "")
    }
}
