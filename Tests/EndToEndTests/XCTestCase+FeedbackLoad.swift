import Foundation
import Synchronization
import TestSupport
import XCTest

/// What a load is sent to: one host's nginx (`Stack`), or the balancer of several (`Balancer`).
protocol Site {
    func url(_ path: String) -> URL
}

extension XCTestCase {
    /// Runs `clients` threads until `seconds` have passed, each classifying a review of its own
    /// (POST /results) and sending its feedback with the page's signed fields (POST /thanks)
    /// every `feedbackEvery` classifications, calling `during` on this thread meanwhile. Every
    /// review is unique, so the rows in the database say exactly which feedback landed.
    func feedbackLoad(
        _ site: some Site, clients: Int, seconds: Double, feedbackEvery: Int = 1, reviewPadding: Int = 0, during: () throws -> Void
    ) rethrows -> LoadRecord {
        let record = Mutex(LoadRecord())
        let deadline = Date().addingTimeInterval(seconds)
        let done = DispatchSemaphore(value: 0)
        let results = site.url("/results"), thanks = site.url("/thanks")
        let padding = String(repeating: " The cast is fine and the plot is clever.", count: reviewPadding)
        for client in 0..<clients {
            Thread {
                var mine = LoadRecord()
                var round = 0
                while Date() < deadline {
                    round += 1
                    let review = "Review \(round) of client \(client): a thoroughly enjoyable film, with a fine cast and a clever plot.\(padding)"
                    let classifying = Date()
                    let page = try? HTTP.post(results, form: [("review", review)])
                    mine.outcomes.append(
                        .init(began: classifying, path: "/results", status: page?.status ?? 0, seconds: Date().timeIntervalSince(classifying)))
                    guard let page, page.status == 200, round % feedbackEvery == 0 else { continue }
                    let button = round % 3 == 0 ? "Incorrect" : "Correct"
                    let sending = Date()
                    mine.sent.insert(review)
                    let answer = try? HTTP.post(thanks, form: HiddenFields.of(page.body) + [("feedback_button", button)])
                    mine.outcomes.append(
                        .init(began: sending, path: "/thanks", status: answer?.status ?? 0, seconds: Date().timeIntervalSince(sending)))
                    if answer?.status == 200 { mine.acknowledged.insert(review) }
                }
                record.withLock { $0.add(mine) }
                done.signal()
            }.start()
        }
        try during()
        for _ in 0..<clients { done.wait() }
        return record.withLock { $0 }
    }
}
