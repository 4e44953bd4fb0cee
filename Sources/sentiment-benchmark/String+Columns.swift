import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    func trimmingSpaces() -> String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}
