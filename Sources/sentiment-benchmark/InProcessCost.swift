import Glibc
import SentimentModel

/// The in-process cost of classifying each line of a file (`--in-process MODEL LINES`): the
/// reference the bulk CLI (`movieclassifier classify < LINES`) is compared with in the same run;
/// and of classifying and explaining each as the results page does.
struct InProcessCost {
    let modelPath: String
    let linesPath: String

    func run() throws {
        let classifier = try ModelFile.load(from: modelPath)
        guard let file = fopen(linesPath, "r") else {
            print("cannot open \(linesPath)")
            exit(1)
        }
        var lines: [String] = []
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        while getline(&buffer, &capacity, file) >= 0 {
            var line = String(cString: buffer!)
            if line.hasSuffix("\n") { line.removeLast() }
            lines.append(line)
        }
        free(buffer)
        fclose(file)
        let clock = ContinuousClock()
        var checksum = 0.0
        var best = Double.infinity
        for _ in 0..<3 {
            let start = clock.now
            for line in lines { checksum += classifier.classify(line).probabilityPositive }
            best = min(best, (clock.now - start).seconds)
        }
        var explaining = Double.infinity
        for _ in 0..<3 {
            let start = clock.now
            for line in lines { checksum += classifier.explainedPrediction(line, strongest: 5).prediction.probabilityPositive }
            explaining = min(explaining, (clock.now - start).seconds)
        }
        print("in process: \(format(best / Double(lines.count) * 1e6, 2)) µs per review (\(lines.count) reviews, best of 3)")
        print(
            "  classified and explained as the results page does (five features a side): \(format(explaining / Double(lines.count) * 1e6, 2)) µs per review\(checksum.isNaN ? " NaN" : "")"
        )
    }
}
