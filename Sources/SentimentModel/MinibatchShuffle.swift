/// The order in which `partialFit` visits a minibatch.
///
/// scikit-learn's `SGDClassifier(random_state=N)` shuffles every minibatch it is given to
/// `partial_fit`, and, because an integer `random_state` builds a fresh `RandomState(N)` on
/// every call, it shuffles every minibatch with the same seed. Reproducing that order is what
/// makes our trainer give scikit-learn's weights, and the book's 0.868 test accuracy.
public enum MinibatchShuffle: Sendable, Equatable {
    /// File order.
    case none
    /// scikit-learn's order for `random_state=N`.
    case sklearn(randomState: UInt32)

    /// The book's `SGDClassifier(loss='log', random_state=1, max_iter=1)`.
    public static let book = MinibatchShuffle.sklearn(randomState: 1)

    /// The indices of a minibatch of `count` samples, in the order they are learned.
    public func order(count: Int) -> [Int] {
        var order = Array(0..<count)
        guard case .sklearn(let randomState) = self, count > 1 else { return order }
        var state = Self.shuffleSeed(randomState: randomState)
        // `SequentialDataset.shuffle`: Fisher–Yates driven by `our_rand_r`.
        for index in 0..<(count - 1) {
            let other = index + Int(Self.xorshift(&state)) % (count - index)
            order.swapAt(index, other)
        }
        return order
    }

    /// The seed `_plain_sgd` shuffles with: the second draw of `RandomState(randomState)`, after
    /// `make_dataset`'s own `randint(1, 2**31 - 1)`.
    static func shuffleSeed(randomState: UInt32) -> UInt32 {
        var generator = MersenneTwister(seed: randomState)
        _ = generator.legacyRandomInteger(below: 0x7FFF_FFFF - 1)
        return generator.legacyRandomInteger(below: 0x7FFF_FFFF)
    }

    /// scikit-learn's `our_rand_r`.
    private static func xorshift(_ state: inout UInt32) -> UInt32 {
        if state == 0 { state = 1 }
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return state % 0x8000_0000
    }
}
