import ArgumentParser
import FeedbackStore
import LiveModel
import ModelUpdate

extension Int64 {
    var grouped: String { Int(self).grouped }
}
