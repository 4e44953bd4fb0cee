import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel

enum ResidentCheckError: Error, CustomStringConvertible {
    case noProcStatus

    var description: String { "cannot read VmRSS from /proc/self/status" }
}
