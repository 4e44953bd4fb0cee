/// A clock for `LiveClassifier` that stands still until a test moves it.
final class ManualClock: @unchecked Sendable {
    var now = ContinuousClock.now
}
