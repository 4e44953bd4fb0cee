import ArgumentParser
import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel

extension Int {
    /// 45000 as "45,000".
    var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (self < 0 ? "-" : "") + result
    }
}
