import ArgumentParser
import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel
import Support

/// A progress bar on a terminal; otherwise a plain line each time another 10,000 rows are trained.
final class ProgressDisplay {
    let input: InputStream
    let isTerminal = isatty(STDERR_FILENO) != 0
    private var reported = 0

    init(input: InputStream) {
        self.input = input
    }

    func update(rowsTrained: Int) {
        if isTerminal {
            let text: String
            if let size = input.sizeOnDisk, size > 0 {
                let fraction = min(1, Double(input.bytesConsumed) / Double(size))
                let width = 30
                let filled = Int(fraction * Double(width))
                text =
                    "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(Int(fraction * 100))%  \(rowsTrained.grouped) reviews"
            } else {
                text = "\r\(rowsTrained.grouped) reviews"
            }
            writeToStandardError(text)
        } else if rowsTrained / 10_000 > reported / 10_000 {
            reported = rowsTrained
            writeToStandardError("trained on \(rowsTrained.grouped) reviews\n")
        }
    }

    func finish() {
        if isTerminal { writeToStandardError("\r\u{1B}[K") }
    }
}
