import Glibc
import Support

let arguments = CommandLine.arguments
let usage = "usage: web-benchmark MODEL TEMPLATES REVIEWS_FILE [REQUESTS [all|results|thanks|predict]]  (REVIEWS_FILE: one review per line)"
guard (4...6).contains(arguments.count), let text = try? String(decoding: AtomicFile.read(arguments[3]), as: UTF8.self) else {
    print(usage)
    exit(2)
}
let reviews = text.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }.filter { !$0.isEmpty }
let requests = arguments.count >= 5 ? Int(arguments[4]) : 20_000
let rows = arguments.count == 6 ? WebBenchmark.Rows(rawValue: arguments[5]) : .all
guard !reviews.isEmpty, let requests, requests > 0, let rows else {
    print(usage)
    exit(2)
}
do {
    try WebBenchmark(modelPath: arguments[1], templates: arguments[2], reviews: reviews, requests: requests, rows: rows).run()
} catch {
    print("\(error)")
    exit(1)
}
