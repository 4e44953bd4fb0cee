import FeedbackDatabase
import FeedbackStore
import Foundation
import TestSupport
import XCTest

/// The visitor's journey, whatever serves it: the form, a review classified, the feedback sent
/// back with the signed hidden fields, and the row that feedback leaves in the database.
enum Journey {
    static let review = "A wonderful, moving film with superb acting. I loved every minute."

    /// Goes through the journey against `base` (`http://127.0.0.1:PORT`) and checks each answer
    /// and that `database` (an SQLite file or a PostgreSQL URL) then holds exactly one row, the review marked positive.
    static func assertWorks(base: String, database: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let form = try HTTP.get(URL(string: base + "/")!)
        XCTAssertEqual(form.status, 200, form.body, file: file, line: line)
        XCTAssertTrue(form.body.contains("action=\"/results\""), form.body, file: file, line: line)

        let css = try HTTP.get(URL(string: base + "/static/style.css")!)
        XCTAssertEqual(css.status, 200, "the stylesheet is served", file: file, line: line)
        XCTAssertEqual(css.body, try String(contentsOfFile: Stack.repository + "/www/static/style.css", encoding: .utf8), file: file, line: line)

        let results = try HTTP.post(URL(string: base + "/results")!, form: [("review", review)])
        XCTAssertEqual(results.status, 200, results.body, file: file, line: line)
        XCTAssertTrue(results.body.contains("positive"), results.body, file: file, line: line)
        let hidden = HiddenFields.of(results.body)
        XCTAssertFalse(hidden.isEmpty, "the results page carries the signed fields", file: file, line: line)

        let thanks = try HTTP.post(URL(string: base + "/thanks")!, form: hidden + [("feedback_button", "Correct")])
        XCTAssertEqual(thanks.status, 200, thanks.body, file: file, line: line)
        XCTAssertTrue(thanks.body.lowercased().contains("thank"), thanks.body, file: file, line: line)

        let missing = try HTTP.get(URL(string: base + "/no-such-page")!)
        XCTAssertEqual(missing.status, 404, "the application's own 404", file: file, line: line)

        let rows = try FeedbackDatabase.open(database, mustExist: true).rows(after: 0, limit: 10)
        XCTAssertEqual(rows.map(\.review), [review], file: file, line: line)
        XCTAssertEqual(rows.map(\.sentiment), [1], file: file, line: line)
    }
}
