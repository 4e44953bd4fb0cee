import Foundation
import SentimentModel
import TestSupport
import XCTest

@testable import WebApp

final class WebApplicationTests: XCTestCase {
    static let form = "application/x-www-form-urlencoded"
    static let positiveReview = "A wonderful, moving film with superb and brilliant acting."
    static let negativeReview = "Awful, dreadful and boring: a terrible waste of time."

    let signer = FormSigner(key: Array(repeating: 7, count: 32))
    var service = InMemorySentimentService()
    var logged: [String] = []
    var app: WebApplication!

    override func setUpWithError() throws {
        service = InMemorySentimentService()
        logged = []
        app = try makeApp()
    }

    func makeApp(settings: WebSettings = WebSettings()) throws -> WebApplication {
        try WebApplication(service: service, templates: Browser.templates, signer: signer, settings: settings) { [unowned self] in
            logged.append($0)
        }
    }

    func request(_ method: String, _ path: String) -> HTTPResponse {
        app.respond(to: HTTPRequest(method: method, path: path))
    }

    func post(_ path: String, _ body: String, type: String? = WebApplicationTests.form) -> HTTPResponse {
        post(path, bytes: Array(body.utf8), type: type)
    }

    func post(_ path: String, bytes: [UInt8], type: String? = WebApplicationTests.form) -> HTTPResponse {
        app.respond(to: HTTPRequest(method: "POST", path: path, headers: type.map { ["content-type": $0] } ?? [:], body: bytes))
    }

    func post(_ path: String, fields: [(String, String)]) -> HTTPResponse {
        post(path, FormEncoding.encode(fields))
    }

    func feedback(_ review: String, _ prediction: String, _ button: String, signature: String? = nil) -> [(String, String)] {
        let signature = signature ?? signer.signature(review: review, prediction: prediction == "1" ? .positive : .negative)
        return [("review", review), ("prediction", prediction), ("signature", signature), ("feedback_button", button)]
    }

    /// Two decimals, as the page shows the probability of the predicted class.
    func percent(_ review: String) -> String {
        String(format: "%.2f", service.classifier.classify(review).probability * 100)
    }

    // MARK: Routes and headers

    func testFormPageHasALabelledTextareaPostingToResultsInTheSharedLayout() {
        let response = request("GET", "/")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Cache-Control"), "no-cache")
        let page = response.text
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n"), page)
        XCTAssertTrue(page.contains("<title>Movie review classifier</title>"), page)
        XCTAssertTrue(page.contains(#"<link rel="stylesheet" href="/static/style.css">"#), page)
        XCTAssertTrue(page.contains(#"<form method="post" action="/results">"#), page)
        XCTAssertTrue(page.contains(#"<label for="review">Your movie review</label>"#), page)
        XCTAssertTrue(
            page.contains(
                #"<textarea id="review" name="review" rows="10" required minlength="15" aria-describedby="review-hint">"# + "\n</textarea>"), page)
        XCTAssertTrue(page.contains(#"<p class="hint" id="review-hint">At least 15 characters, at most 20000.</p>"#), page)
        XCTAssertFalse(page.contains("aria-invalid"), page)
        XCTAssertTrue(page.hasSuffix("</footer>\n</body>\n</html>\n"), page)
    }

    func testEveryPageCarriesTheSecurityHeadersAndNoScriptOrInlineStyle() {
        let signed = FormEncoding.encode(feedback(Self.positiveReview, "1", "Correct"))
        let responses: [(String, HTTPResponse)] = [
            ("form", request("GET", "/")),
            ("results", post("/results", fields: [("review", Self.positiveReview)])),
            ("thanks", post("/thanks", signed)),
            ("400", post("/results", "review=short")),
            ("404", request("GET", "/admin")),
            ("405", request("GET", "/thanks")),
            ("413", post("/results", String(repeating: "a", count: 256 * 1024 + 1))),
            ("415", post("/results", "review=x", type: "text/plain")),
        ]
        for (name, response) in responses {
            XCTAssertEqual(response.header("Content-Type"), "text/html; charset=utf-8", name)
            XCTAssertEqual(
                response.header("Content-Security-Policy"),
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                name
            )
            XCTAssertEqual(response.header("X-Content-Type-Options"), "nosniff", name)
            XCTAssertEqual(response.header("Referrer-Policy"), "no-referrer", name)
            XCTAssertEqual(response.header("Cache-Control"), name == "form" ? "no-cache" : "no-store", name)
            XCTAssertNil(response.header("Content-Length"), "the adapter's job: \(name)")
            XCTAssertFalse(response.text.contains("<script"), name)
            XCTAssertFalse(response.text.contains(" style="), name)
            XCTAssertTrue(response.text.contains(#"<link rel="stylesheet" href="/static/style.css">"#), name)
        }
    }

    func testHeadAnswersAsGetSoTheAdapterCanAnnounceTheLength() {
        for path in ["/", "/missing", "/results"] {
            let get = request("GET", path)
            XCTAssertFalse(get.body.isEmpty, path)
            XCTAssertEqual(request("HEAD", path), get, path)
        }
        XCTAssertEqual(request("HEAD", "/").status, 200)
    }

    func testUnknownPathIs404Page() {
        for path in ["/admin", "/results/", "/static/style.css", "/index.html", ""] {
            let response = request("GET", path)
            XCTAssertEqual(response.status, 404, path)
            XCTAssertTrue(response.text.contains("<title>Page not found · Movie review classifier</title>"), path)
            XCTAssertTrue(response.text.contains("<h1>Page not found</h1>\n  <p class=\"status\">Error 404</p>"), path)
            XCTAssertNil(response.header("Allow"), path)
        }
    }

    func testKnownPathWithAnotherMethodIs405WithAllow() {
        let cases = [
            ("POST", "/", "GET, HEAD"), ("PUT", "/", "GET, HEAD"), ("get", "/", "GET, HEAD"),
            ("GET", "/results", "POST"), ("HEAD", "/results", "POST"), ("DELETE", "/results", "POST"),
            ("GET", "/thanks", "POST"), ("OPTIONS", "/thanks", "POST"),
        ]
        for (method, path, allow) in cases {
            let response = request(method, path)
            XCTAssertEqual(response.status, 405, "\(method) \(path)")
            XCTAssertEqual(response.header("Allow"), allow, "\(method) \(path)")
            if method != "HEAD" {
                XCTAssertTrue(
                    response.text.contains("<p>This address answers \(allow) requests only. Start again from the review form.</p>"),
                    "\(method) \(path)")
            }
        }
        XCTAssertTrue(service.classified.isEmpty)
    }

    // MARK: The journey

    func testResultsShowTheReviewTheLabelTheProbabilityAsNumberAndBarAndASignedFeedbackForm() {
        let review = Self.positiveReview
        let response = post("/results", fields: [("review", review)])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(service.classified, [review])
        let page = response.text
        let percent = percent(review)
        let signature = signer.signature(review: review, prediction: .positive)
        for fragment in [
            "<title>Prediction: positive · Movie review classifier</title>",
            #"<p class="verdict positive">This review is <span class="label">positive</span></p>"#,
            #"<label for="probability">Probability</label>"#,
            #"<meter id="probability" min="0" max="100" low="60" high="80" optimum="100" value="\#(percent)">\#(percent)%</meter>"#,
            #"<span class="percent">\#(percent)%</span>"#,
            #"<form method="post" action="/thanks" class="feedback">"#,
            #"<input type="hidden" name="review" value="\#(review)">"#,
            #"<input type="hidden" name="prediction" value="1">"#,
            #"<input type="hidden" name="signature" value="\#(signature)">"#,
            #"<button type="submit" name="feedback_button" value="Correct" class="primary">Correct</button>"#,
            #"<button type="submit" name="feedback_button" value="Incorrect">Incorrect</button>"#,
            #"<a href="/">Submit another review</a>"#,
        ] {
            XCTAssertTrue(page.contains(fragment), "\(fragment)\n\(page)")
        }
        XCTAssertGreaterThan(Double(percent)!, 50)
        XCTAssertEqual(blockquote(page).map(unmarked), review, "the review, marks aside")
    }

    /// What the page's `<blockquote class="review">` holds, marks included.
    func blockquote(_ page: String) -> String? {
        guard
            let start = page.range(of: #"<blockquote class="review" aria-describedby="marks-legend">"#)
                ?? page.range(of: #"<blockquote class="review">"#),
            let end = page.range(of: "</blockquote>", range: start.upperBound..<page.endIndex)
        else { return nil }
        return String(page[start.upperBound..<end.lowerBound])
    }

    func unmarked(_ html: String) -> String {
        html.replacingOccurrences(of: #"<mark class="push-positive">"#, with: "").replacingOccurrences(of: #"<mark class="push-negative">"#, with: "")
            .replacingOccurrences(of: "</mark>", with: "")
    }

    // MARK: What pushed the prediction

    func testResultsMarkTheStrongestWordsInTheReviewAndListWhatPushedThePrediction() throws {
        let review = "A wonderful film with superb acting, but the ending was boring."
        let response = post("/results", fields: [("review", review)])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(service.classified, [review], "one call to the service")
        let page = response.text
        let quote = try XCTUnwrap(blockquote(page), page)
        for fragment in [
            #"<mark class="push-positive">wonderful</mark>"#, #"<mark class="push-positive">superb</mark>"#,
            #"<mark class="push-negative">boring</mark>"#,
        ] {
            XCTAssertTrue(quote.contains(fragment), "\(fragment)\n\(quote)")
        }
        XCTAssertEqual(unmarked(quote), review)
        XCTAssertTrue(page.contains(#"<p class="legend" id="marks-legend">The marked words pushed the prediction most: "#), page)
        XCTAssertTrue(page.contains(#"<blockquote class="review" aria-describedby="marks-legend">"#), page)
        let explanation = service.classifier.explain(review)
        for sentiment in [Sentiment.positive, .negative] {
            let name = sentiment == .positive ? "positive" : "negative"
            let items = explanation.strongest(5, towards: sentiment).filter { abs($0.contribution) >= 0.005 }.map {
                #"<li><span class="feature">\#($0.token)</span> <span class="value">\#(ResultsExplanation.signed($0.contribution))</span></li>"#
            }
            XCTAssertFalse(items.isEmpty, name)
            XCTAssertTrue(
                page.contains(
                    #"<h3 id="pushed-\#(name)">Pushed towards \#(name)</h3>"# + "\n      " + #"<ul class="pushed">"# + items.joined() + "</ul>"), page
            )
        }
        XCTAssertTrue(page.contains(#"<span class="feature">wonderful</span> <span class="value">+"#), page)
        XCTAssertTrue(page.contains(#"<span class="feature">boring</span> <span class="value">\#u{2212}"#), page)
        let hidden = HiddenFields.of(page)
        XCTAssertEqual(hidden.first?.1, review, "the hidden field is the plain review")
        XCTAssertTrue(page.contains(#"<input type="hidden" name="review" value="\#(review)">"#), page)
        let thanks = post("/thanks", fields: hidden + [("feedback_button", "Correct")])
        XCTAssertEqual(thanks.status, 200, "the signature still covers it: \(thanks.text)")
    }

    func testHostileTextIsEscapedInsideAndAroundTheMarkedWords() throws {
        let hostile = #"<script>wonderful</script> "superb"&awful <img src=x onerror='alert(1)'>boring"#
        let page = post("/results", fields: [("review", hostile)]).text
        let quote = try XCTUnwrap(blockquote(page), page)
        XCTAssertTrue(quote.contains(#"&lt;script&gt;<mark class="push-positive">wonderful</mark>&lt;/script&gt; &quot;"#), quote)
        XCTAssertTrue(
            quote.contains(#"&quot;<mark class="push-positive">superb</mark>&quot;&amp;<mark class="push-negative">awful</mark> &lt;img"#), quote)
        XCTAssertTrue(quote.hasSuffix(#"onerror=&#39;alert(1)&#39;&gt;<mark class="push-negative">boring</mark>"#), quote)
        XCTAssertEqual(
            unmarked(quote),
            #"&lt;script&gt;wonderful&lt;/script&gt; &quot;superb&quot;&amp;awful &lt;img src=x onerror=&#39;alert(1)&#39;&gt;boring"#)
        XCTAssertFalse(page.contains("<script"), page)
        XCTAssertFalse(page.contains("<img"), page)
        XCTAssertEqual(HiddenFields.of(page).first?.1, hostile)
    }

    func testMultiByteCharactersAroundMarkedWordsComeOutWhole() throws {
        // The book's tokenizer takes any non-ASCII byte for a letter, so a word stands apart from
        // them with a space or ASCII punctuation.
        let review = "🎬 wonderful! « superb » — café 名作, awful 😡 boring"
        let page = post("/results", fields: [("review", review)]).text
        let quote = try XCTUnwrap(blockquote(page), page)
        XCTAssertEqual(
            quote,
            #"🎬 <mark class="push-positive">wonderful</mark>! « <mark class="push-positive">superb</mark> » — café 名作, "#
                + #"<mark class="push-negative">awful</mark> 😡 <mark class="push-negative">boring</mark>"#)
        XCTAssertEqual(unmarked(quote), review)
        XCTAssertEqual(HiddenFields.of(page).first?.1, review)
    }

    func testAReviewWithNoMarkedWordShowsNoLegend() throws {
        let review = "Qwxz plorb frumious bandersnatch zzyq."
        XCTAssertTrue(service.classifier.explain(review).words.allSatisfy { abs($0.contribution) < 0.01 }, "no word of it was learned")
        let page = post("/results", fields: [("review", review)]).text
        XCTAssertTrue(page.contains(#"<blockquote class="review">\#(review)</blockquote>"#), page)
        XCTAssertFalse(page.contains("<mark"), page)
        XCTAssertFalse(page.contains("legend\""), page)
        XCTAssertTrue(page.contains(#"<p class="none">No word pushed towards positive.</p>"#), page)
        XCTAssertTrue(page.contains(#"<p class="none">No word pushed towards negative.</p>"#), page)
    }

    func testJourneyWithCorrectStoresThePrediction() {
        XCTAssertTrue(request("GET", "/").text.contains(#"<form method="post" action="/results">"#))
        let results = post("/results", fields: [("review", Self.positiveReview)])
        let hidden = HiddenFields.of(results.text)
        XCTAssertEqual(hidden.map(\.0), ["review", "prediction", "signature"])
        let thanks = post("/thanks", fields: hidden + [("feedback_button", "Correct")])
        XCTAssertEqual(thanks.status, 200, thanks.text)
        XCTAssertEqual(thanks.header("Cache-Control"), "no-store")
        XCTAssertTrue(thanks.text.contains("<h1>Thank you for your feedback!</h1>"), thanks.text)
        XCTAssertTrue(thanks.text.contains(#"stored as <span class="verdict-inline positive">positive</span>"#), thanks.text)
        XCTAssertTrue(thanks.text.contains(#"<a class="button primary" href="/">Submit another review</a>"#), thanks.text)
        XCTAssertEqual(service.feedback, [LabeledSample(text: Self.positiveReview, sentiment: .positive)])
    }

    func testJourneyWithIncorrectStoresTheFlippedLabel() {
        let results = post("/results", fields: [("review", Self.negativeReview)])
        XCTAssertTrue(results.text.contains(#"<span class="label">negative</span>"#), results.text)
        let thanks = post("/thanks", fields: HiddenFields.of(results.text) + [("feedback_button", "Incorrect")])
        XCTAssertEqual(thanks.status, 200, thanks.text)
        XCTAssertTrue(thanks.text.contains(#"stored as <span class="verdict-inline positive">positive</span>"#), thanks.text)
        XCTAssertEqual(service.feedback, [LabeledSample(text: Self.negativeReview, sentiment: .positive)])
    }

    func testLineBreaksAreReadAsNewlinesSoFeedbackFromABrowserMatchesItsSignature() {
        // A client that sent bare LF gets a page whose hidden field a browser sends back as CRLF.
        let results = post("/results", "review=" + "A superb film.%0ASecond line:%0D%0Awonderful.%0Dthird".replacingOccurrences(of: " ", with: "+"))
        let review = "A superb film.\nSecond line:\nwonderful.\nthird"
        XCTAssertEqual(service.classified, [review])
        XCTAssertTrue(results.text.contains(#"<input type="hidden" name="review" value="\#(review)">"#), results.text)
        let thanks = post("/thanks", fields: HiddenFields.of(results.text) + [("feedback_button", "Correct")])
        XCTAssertEqual(thanks.status, 200, thanks.text)
        XCTAssertEqual(service.feedback.map(\.text), [review])
    }

    func testRepeatedFieldNamesCountTheFirstValue() {
        let first = "The first review, a wonderful one."
        let results = post("/results", fields: [("review", first), ("review", "The second review, an awful one.")])
        XCTAssertEqual(service.classified, [first])
        let signed = feedback(first, "1", "Correct")
        let thanks = post("/thanks", fields: signed + [("review", "forged text"), ("prediction", "0"), ("feedback_button", "Incorrect")])
        XCTAssertEqual(thanks.status, 200, thanks.text)
        XCTAssertEqual(service.feedback, [LabeledSample(text: first, sentiment: .positive)])
        XCTAssertEqual(results.status, 200)
    }

    // MARK: Validation

    func testMissingOrBlankReviewIs400WithTheMessageNextToTheField() {
        for body in ["", "other=value", "review", "review=", "review=+++%0D%0A%09%E3%80%80"] {
            let response = post("/results", body)
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(response.header("Cache-Control"), "no-store", body)
            XCTAssertTrue(response.text.contains(#"aria-describedby="review-hint review-problem" aria-invalid="true" autofocus>"#), response.text)
            XCTAssertTrue(response.text.contains(#"<p class="problem" id="review-problem" role="alert">Please write a review.</p>"#), response.text)
        }
        XCTAssertTrue(service.classified.isEmpty)
    }

    func testReviewOf14CharactersAfterTrimmingIs400AndKeepsTheText() {
        let response = post("/results", fields: [("review", "  \tfourteen chars\n ")])
        XCTAssertEqual(response.status, 400)
        XCTAssertTrue(response.text.contains("<title>Check the review · Movie review classifier</title>"), response.text)
        XCTAssertTrue(
            response.text.contains(
                #"<p class="problem" id="review-problem" role="alert">Please write at least 15 characters; this review has 14.</p>"#), response.text)
        XCTAssertTrue(response.text.contains("autofocus>\n  \tfourteen chars\n </textarea>"), "the text comes back as sent: \(response.text)")
        XCTAssertTrue(service.classified.isEmpty)
    }

    func testReviewOfExactly15CharactersAfterTrimmingIsClassified() {
        let response = post("/results", fields: [("review", "  fifteen chars!! ")])
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(service.classified, ["  fifteen chars!! "])
        XCTAssertEqual(post("/results", fields: [("review", "🎬🎬🎬🎬🎬🎬🎬🎬🎬🎬🎬🎬🎬🎬🎬")]).status, 200, "characters, not bytes")
    }

    func testReviewLongerThan20000CharactersIs400() {
        let tooLong = post("/results", "review=" + String(repeating: "a", count: 20_001))
        XCTAssertEqual(tooLong.status, 400)
        XCTAssertTrue(tooLong.text.contains(#"role="alert">Please keep the review to 20000 characters; this one has 20001.</p>"#))
        XCTAssertTrue(service.classified.isEmpty)
        XCTAssertEqual(post("/results", "review=" + String(repeating: "a", count: 20_000)).status, 200)
    }

    func testReviewAtTheCharacterLimitInAFourByteScriptFitsTheBodyLimit() {
        let body = "review=" + String(repeating: "%F0%9F%8E%AC", count: 20_000)
        XCTAssertEqual(body.utf8.count, 240_007)
        XCTAssertEqual(post("/results", body).status, 200)
        XCTAssertEqual(service.classified.map(\.count), [20_000])
    }

    func testNULCharacterInTheReviewIs400() {
        let response = post("/results", "review=a+review+with+a+NUL%00+in+it")
        XCTAssertEqual(response.status, 400)
        XCTAssertTrue(response.text.contains("The review contains a NUL character, which a web page cannot show; please remove it."), response.text)
        XCTAssertTrue(service.classified.isEmpty)
    }

    func testDefaultSettings() {
        XCTAssertEqual(WebSettings(), WebSettings(maxBodyBytes: 262_144, minReviewLength: 15, maxReviewLength: 20_000))
    }

    func testBodyLargerThanMaxBodyBytesIs413() throws {
        app = try makeApp(settings: WebSettings(maxBodyBytes: 64))
        let atLimit = "review=" + String(repeating: "a", count: 57)
        XCTAssertEqual(post("/results", atLimit).status, 200)
        let response = post("/results", atLimit + "a")
        XCTAssertEqual(response.status, 413)
        XCTAssertTrue(response.text.contains("<h1>Form too large</h1>"), response.text)
        XCTAssertTrue(
            response.text.contains("<p>The form sent is larger than the 64 bytes this site accepts. Please shorten the review.</p>"), response.text)
        XCTAssertEqual(post("/thanks", atLimit + "a").status, 413)
        XCTAssertEqual(service.classified.count, 1)
        app = try makeApp()
        XCTAssertTrue(post("/results", String(repeating: "a", count: 256 * 1024 + 1)).text.contains("larger than the 256 KiB this site accepts"))
    }

    func testBodyOtherThanUTF8FormURLEncodedIs415() {
        let signed = FormEncoding.encode(feedback(Self.positiveReview, "1", "Correct"))
        for type in [
            nil, "", "application/json", "multipart/form-data; boundary=x", "text/plain", "application/x-www-form-urlencoded; charset=iso-8859-1",
            "application/x-www-form-urlencoded-x",
        ] {
            let response = post("/results", "review=" + FormEncoding.escape(Self.positiveReview), type: type)
            XCTAssertEqual(response.status, 415, type ?? "none")
            XCTAssertTrue(response.text.contains("<h1>Unsupported form encoding</h1>"), type ?? "none")
            XCTAssertEqual(post("/thanks", signed, type: type).status, 415, type ?? "none")
        }
        XCTAssertTrue(service.classified.isEmpty)
        XCTAssertTrue(service.feedback.isEmpty)
        for type in [
            "Application/X-WWW-Form-URLEncoded", "application/x-www-form-urlencoded;charset=UTF-8",
            "application/x-www-form-urlencoded; charset=\"utf-8\"",
        ] {
            XCTAssertEqual(post("/results", "review=" + FormEncoding.escape(Self.positiveReview), type: type).status, 200, type)
        }
    }

    func testInvalidPercentEscapesOrUTF8Are400() {
        let bodies: [[UInt8]] = [
            Array("review=bad%zzescape+and+more+text".utf8),
            Array("review=long+enough+review+cut%4".utf8),
            Array("review=long+enough+review+cut%".utf8),
            Array("review=%C3%28+invalid+utf8+sequence".utf8),
            Array("review=%FF+invalid+utf8+byte+here".utf8),
            Array("review=raw+byte+".utf8) + [0xFF] + Array("+long+enough".utf8),
            Array("review=fine+and+long+enough&other=%zz".utf8),
        ]
        for body in bodies {
            let response = post("/results", bytes: body)
            XCTAssertEqual(response.status, 400, String(decoding: body, as: UTF8.self))
            XCTAssertTrue(response.text.contains("<p>The form&#39;s data is not valid URL-encoded UTF-8.</p>"), response.text)
        }
        XCTAssertTrue(service.classified.isEmpty)
        XCTAssertEqual(
            post("/thanks", bytes: Array(FormEncoding.encode(feedback(Self.positiveReview, "1", "Correct")).utf8) + Array("&x=%4".utf8)).status, 400)
        XCTAssertTrue(service.feedback.isEmpty)
    }

    // MARK: Escaping

    func testHostileReviewAppearsOnlyEscapedInThePageAndTheHiddenField() {
        let hostile = #"<script>alert(1)</script> "quotes" onmouseover='x' & more"#
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; onmouseover=&#39;x&#39; &amp; more"
        let page = post("/results", fields: [("review", hostile)]).text
        XCTAssertEqual(blockquote(page).map(unmarked), escaped, page)
        XCTAssertTrue(page.contains(#"<input type="hidden" name="review" value="\#(escaped)">"#), page)
        XCTAssertFalse(page.contains("<script"), page)
        XCTAssertFalse(page.contains(#""quotes""#), page)
        XCTAssertFalse(page.contains("='x'"), page)
        XCTAssertEqual(HiddenFields.of(page).first?.1, hostile)
    }

    func testQuoteFollowedByACombiningMarkIsEscaped() {
        let review = "Superb film \"\u{301} autofocus onfocus=alert(1) x=\"\u{301}"
        let page = post("/results", fields: [("review", review)]).text
        XCTAssertTrue(
            page.contains("<input type=\"hidden\" name=\"review\" value=\"Superb film &quot;\u{301} autofocus onfocus=alert(1) x=&quot;\u{301}\">"),
            page)
    }

    func testHostileTextComesBackEscapedInTheForm() {
        let response = post("/results", fields: [("review", #"<b>"x"</b>"#)])
        XCTAssertEqual(response.status, 400)
        XCTAssertTrue(response.text.contains("autofocus>\n&lt;b&gt;&quot;x&quot;&lt;/b&gt;</textarea>"), response.text)
        XCTAssertFalse(response.text.contains("<b>"), response.text)
    }

    // MARK: Signed feedback

    func testFeedbackWithoutAValidSignatureIs400AndNothingIsStored() {
        let review = Self.positiveReview
        let good = signer.signature(review: review, prediction: .positive)
        let otherKey = FormSigner(key: Array(repeating: 8, count: 32)).signature(review: review, prediction: .positive)
        let cases: [(String, [(String, String)])] = [
            ("empty", feedback(review, "1", "Correct", signature: "")),
            ("zeros", feedback(review, "1", "Correct", signature: String(repeating: "0", count: 64))),
            ("not hex", feedback(review, "1", "Correct", signature: String(repeating: "g", count: 64))),
            ("truncated", feedback(review, "1", "Correct", signature: String(good.dropLast(2)))),
            ("other key", feedback(review, "1", "Correct", signature: otherKey)),
            ("tampered review", feedback(review + " Not.", "1", "Correct", signature: good)),
            ("tampered prediction", feedback(review, "0", "Incorrect", signature: good)),
        ]
        for (name, fields) in cases {
            let response = post("/thanks", fields: fields)
            XCTAssertEqual(response.status, 400, name)
            XCTAssertTrue(response.text.contains("<h1>Feedback not accepted</h1>"), name)
        }
        XCTAssertTrue(service.feedback.isEmpty)
    }

    func testFeedbackWithAMissingFieldOrAnUnknownValueIs400AndNothingIsStored() {
        let fields = feedback(Self.positiveReview, "1", "Correct")
        var cases: [(String, [(String, String)])] = fields.indices.map { index in
            var without = fields
            let removed = without.remove(at: index)
            return ("without \(removed.0)", without)
        }
        cases += [
            ("button Maybe", feedback(Self.positiveReview, "1", "Maybe")),
            ("button lowercase", feedback(Self.positiveReview, "1", "correct")),
            ("prediction 2", feedback(Self.positiveReview, "2", "Correct")),
            (
                "prediction +1",
                feedback(Self.positiveReview, "+1", "Correct", signature: signer.signature(review: Self.positiveReview, prediction: .positive))
            ),
            (
                "prediction positive",
                feedback(Self.positiveReview, "positive", "Correct", signature: signer.signature(review: Self.positiveReview, prediction: .positive))
            ),
        ]
        for (name, fields) in cases {
            let response = post("/thanks", fields: fields)
            XCTAssertEqual(response.status, 400, name)
            XCTAssertTrue(response.text.contains("<h1>Incomplete feedback</h1>"), name)
        }
        XCTAssertTrue(service.feedback.isEmpty)
    }

    // MARK: Trust

    func thanks(from address: String) -> HTTPResponse {
        app.respond(
            to: HTTPRequest(
                method: "POST", path: "/thanks", headers: ["content-type": Self.form],
                body: Array(FormEncoding.encode(feedback(Self.positiveReview, "1", "Correct")).utf8), remoteAddress: address))
    }

    func testFeedbackReachesTheServiceWithAKeyedIdOfTheClientsAddressNeverTheAddress() {
        XCTAssertEqual(thanks(from: "198.51.100.7").status, 200)
        XCTAssertEqual(thanks(from: "198.51.100.7").status, 200)
        XCTAssertEqual(thanks(from: "203.0.113.20").status, 200)
        let clients = service.clients
        XCTAssertEqual(clients.count, 3)
        XCTAssertEqual(clients[0], clients[1], "one address, one id")
        XCTAssertNotEqual(clients[0], clients[2])
        XCTAssertEqual(clients[0], signer.clientID(address: "198.51.100.7"))
        XCTAssertTrue(clients.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) }, "\(clients)")
        XCTAssertNotEqual(FormSigner(key: Array(repeating: 0x5A, count: 32)).clientID(address: "198.51.100.7"), clients[0], "keyed")
    }

    func testFeedbackTheTrustRulesRefuseIsA429PageAndHeldFeedbackIsThanked() {
        service.receipt = .refused
        let refused = thanks(from: "198.51.100.7")
        XCTAssertEqual(refused.status, 429)
        XCTAssertEqual(refused.header("Retry-After"), "3600")
        XCTAssertTrue(refused.text.contains("<h1>Too much feedback</h1>"), refused.text)
        service.receipt = .held
        XCTAssertEqual(thanks(from: "198.51.100.7").status, 200)
        XCTAssertTrue(service.feedback.isEmpty, "held: not learned")
    }

    // MARK: Failures

    func testServiceFailureIs503PageAndIsReportedWithoutTheReview() {
        service.failure = DatabaseDown()
        let results = post("/results", fields: [("review", Self.positiveReview)])
        XCTAssertEqual(results.status, 503)
        XCTAssertEqual(results.header("Cache-Control"), "no-store")
        XCTAssertTrue(results.text.contains("<h1>Temporarily unavailable</h1>"), results.text)
        XCTAssertTrue(results.text.contains("<p>The classifier cannot answer right now. Please try again in a moment.</p>"), results.text)
        let thanks = post("/thanks", fields: feedback(Self.positiveReview, "1", "Correct"))
        XCTAssertEqual(thanks.status, 503)
        XCTAssertTrue(thanks.text.contains("<h1>Feedback not saved</h1>"), thanks.text)
        XCTAssertTrue(thanks.text.contains("nothing was recorded"), thanks.text)
        XCTAssertFalse(thanks.text.contains("database is locked"), "the reason goes to the log, not to the visitor")
        XCTAssertEqual(
            logged,
            [
                "cannot classify a review: data/feedback.sqlite: cannot insert a row: database is locked",
                "cannot record feedback: data/feedback.sqlite: cannot insert a row: database is locked",
            ])
    }

    func testModelWithoutAProbabilityIs503() throws {
        let broken = LogisticRegression(weights: [Double](repeating: 0, count: 16), scale: 1, intercept: .nan, samplesSeen: 0, alpha: 1e-4)
        service = InMemorySentimentService(classifier: SentimentClassifier(vectorizer: HashingVectorizer(featureCount: 16), regression: broken))
        app = try makeApp()
        XCTAssertEqual(post("/results", fields: [("review", Self.positiveReview)]).status, 503)
        XCTAssertEqual(logged.count, 1)
        XCTAssertTrue(logged[0].hasPrefix("the model gave the probability ") && logged[0].hasSuffix("nan"), "\(logged)")
    }

    func testMissingTemplateIsAnErrorNamingTheFile() throws {
        let folder = try ScratchFolder("webapp-templates").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertThrowsError(try WebApplication(service: service, templates: folder, signer: signer)) { error in
            XCTAssertEqual(error as? TemplateError, .unreadable(path: folder + "/form.mustache", reason: "No such file or directory"))
        }
        for page in ["form", "results", "thanks", "error", "header", "footer"] {
            try FileManager.default.copyItem(atPath: Browser.templates + "/\(page).mustache", toPath: folder + "/\(page).mustache")
        }
        try "{{#unclosed}}".write(toFile: folder + "/thanks.mustache", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try WebApplication(service: service, templates: folder, signer: signer)) { error in
            guard case .invalid(let path, _) = error as? TemplateError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, folder + "/thanks.mustache")
        }
        // The results page's skeletons are made at the first request, so a byte that would spoil
        // their cut is refused when the templates are read.
        try FileManager.default.removeItem(atPath: folder + "/thanks.mustache")
        try FileManager.default.copyItem(atPath: Browser.templates + "/thanks.mustache", toPath: folder + "/thanks.mustache")
        try "{{> header}}<p>\u{1}</p>{{> footer}}".write(toFile: folder + "/results.mustache", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try WebApplication(service: service, templates: folder, signer: signer)) { error in
            XCTAssertEqual(
                error as? TemplateError,
                .invalid(path: folder + "/results.mustache", reason: "it holds the control character U+0001 or U+0002, which the server reserves"))
        }
    }
}
