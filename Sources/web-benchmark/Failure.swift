import FeedbackStore
import Glibc
import LiveModel
import SentimentModel
import Support
import WebApp

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = "web-benchmark: " + description }
}
