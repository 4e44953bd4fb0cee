/// A set of words the tokenizer drops, looked up by the token's MurmurHash3 (which the
/// vectorizer computes anyway), so that the check costs no extra pass over the token.
public struct StopWords: Sendable {
    /// The words, in the order given.
    public let words: [String]
    /// MurmurHash3 of the words joined by `\n` (a trailing `\n` too): stored in model files
    /// to tell which list a model was trained with.
    public let fingerprint: UInt32

    private let slots: [Int32]
    private let hashes: [Int32]
    private let utf8: [[UInt8]]
    private let mask: Int

    public init(_ words: [String]) {
        self.words = words
        let joined = words.map { $0 + "\n" }.joined()
        fingerprint = UInt32(bitPattern: MurmurHash3.hash32(joined))
        hashes = words.map { MurmurHash3.hash32($0) }
        utf8 = words.map { Array($0.utf8) }
        var size = 16
        while size < words.count * 4 { size *= 2 }
        mask = size - 1
        var slots = [Int32](repeating: -1, count: size)
        for (index, hash) in hashes.enumerated() {
            var slot = Int(UInt32(bitPattern: hash)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
        self.slots = slots
    }

    /// Whether `token`, whose MurmurHash3 is `hash`, is a stop word.
    @inline(__always)
    public func contains(_ token: UnsafeRawBufferPointer, hash: Int32) -> Bool {
        var slot = Int(UInt32(bitPattern: hash)) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return false }
            if hashes[index] == hash && utf8[index].elementsEqual(token) { return true }
            slot = (slot + 1) & mask
        }
    }
}
