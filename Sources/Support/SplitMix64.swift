/// SplitMix64: a small generator with a fixed sequence for each seed. Training draws its order
/// from it, so the same data give the same model anywhere (the Python reference of the n-gram
/// variant uses the same), and tests draw their data from it, so a failure reproduces.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    @inlinable
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fisher–Yates: for i from n − 1 down to 1, swap element i with element `next() mod (i + 1)`.
    package mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for index in stride(from: elements.count - 1, through: 1, by: -1) {
            elements.swapAt(index, Int(next() % UInt64(index + 1)))
        }
    }
}
