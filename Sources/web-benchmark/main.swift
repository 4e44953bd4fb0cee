import FeedbackStore
import Glibc
import LiveModel
import SentimentModel
import Support
import WebApp

let arguments = CommandLine.arguments
guard arguments.count == 4 || arguments.count == 5, let review = try? String(decoding: AtomicFile.read(arguments[3]), as: UTF8.self) else {
    print("usage: web-benchmark MODEL TEMPLATES REVIEW_FILE [REQUESTS]")
    exit(2)
}
do {
    try WebBenchmark(
        modelPath: arguments[1], templates: arguments[2],
        review: review.split(whereSeparator: \.isWhitespace).joined(separator: " "),
        requests: arguments.count == 5 ? Int(arguments[4]) ?? 20_000 : 20_000
    ).run()
} catch {
    print("\(error)")
    exit(1)
}
