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

/// MT19937 as NumPy's legacy `RandomState(seed)` runs it (`init_genrand` seeding).
struct MersenneTwister {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    mutating func next() -> UInt32 {
        if index == 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// NumPy's legacy bounded integer in `0..<bound` (`randint(bound)`): masked rejection sampling.
    mutating func legacyRandomInteger(below bound: UInt32) -> UInt32 {
        let range = bound - 1
        var mask = range
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        while true {
            let value = next() & mask
            if value <= range { return value }
        }
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
        }
        index = 0
    }
}
