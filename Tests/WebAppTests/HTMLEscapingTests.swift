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

    /// Eight bytes at a time pass at once when none is special: every special byte at every
    /// position of texts from 0 to 40 bytes long, and two at once, escape as byte by byte.
    func testEscapingAgreesWithAByteByByteReferenceAtEveryPositionAndLength() {
        func reference(_ bytes: [UInt8]) -> String {
            let names: [UInt8: String] = [0x3C: "&lt;", 0x3E: "&gt;", 0x26: "&amp;", 0x22: "&quot;", 0x27: "&#39;"]
            return bytes.map { names[$0] ?? String(UnicodeScalar($0)) }.joined()
        }
        let escaping = HTMLEscaping()
        // Bytes one off the special ones, which a wrong mask would take for them.
        let plain = Array("a;=?%!(#ab=;a?".utf8)
        for length in 0...40 {
            let text = (0..<length).map { plain[$0 % plain.count] }
            XCTAssertEqual(escaping.escapeText(String(decoding: text, as: UTF8.self)), reference(text), "length \(length)")
            for special in Array("<>&\"'".utf8) {
                for position in 0..<length {
                    var marked = text
                    marked[position] = special
                    marked[length - 1 - position] = special
                    var appended: [UInt8] = [0x2A]
                    HTMLEscaping.append(String(decoding: marked, as: UTF8.self), escapedTo: &appended)
                    XCTAssertEqual(
                        escaping.escapeText(String(decoding: marked, as: UTF8.self)), reference(marked), "\(special) at \(position) of \(length)")
                    XCTAssertEqual(String(decoding: appended, as: UTF8.self), "*" + reference(marked))
                }
            }
        }
    }
}
