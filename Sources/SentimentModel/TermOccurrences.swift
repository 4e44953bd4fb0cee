/// The tokens of one text and the occurrences of its n-gram terms, in flat buffers of one
/// allocation, as the n-gram variant's explanation collects them (`NGramVectorizer.forEachTerm`):
/// every results page explains its review, so on that path no array grows, is checked for a
/// second owner, or is copied.
///
/// An occurrence is known by its position (the order the terms came in); `keys` holds, for
/// each, its column above its position, so that sorting the keys sorts by column and keeps the
/// text's order within a column, with 8 bytes moved per occurrence.
struct TermOccurrences: TermVisitor {
    /// Each occurrence's `column << positionBits | position` (a column takes 23 bits); once
    /// `keepHeldInColumnOrder` has run, the first `keyCount` are the held occurrences' keys,
    /// `rank << positionBits | position`, sorted.
    private(set) var keys: UnsafeMutablePointer<UInt64>
    private(set) var keyCount = 0
    /// Each occurrence's whole 32-bit hash, by position: what tells two terms of one column apart.
    private(set) var hashes: UnsafeMutablePointer<UInt32>
    /// Each occurrence's last token, by position.
    private(set) var lastTokens: UnsafeMutablePointer<Int32>
    /// Each occurrence's order (bits 0-1), count less one (bit 2) and view (bit 3: plain), by
    /// position.
    private(set) var details: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    /// Each token's bytes in the text's UTF-8.
    private(set) var tokenRanges: UnsafeMutablePointer<(start: Int32, end: Int32)>
    /// Each token's own bytes (lowercased, `not_` kept), one after the other.
    private(set) var tokenBytes: UnsafeMutablePointer<UInt8>
    /// Where each token's bytes start in `tokenBytes`, and where the last one ends.
    private(set) var tokenStarts: UnsafeMutablePointer<Int32>
    private(set) var tokenCount = 0

    private let occurrenceCapacity: Int
    private let tokenCapacity: Int
    private let tokenByteCapacity: Int
    private let storage: UnsafeMutableRawPointer

    static let positionBits: UInt64 = 41

    /// Room for the terms of a text of `textBytes` UTF-8 bytes. A token takes at least one byte
    /// of the text (two adjacent take at least three: a word and an emoticon); it ends at most 3
    /// terms in each of 2 views, and a token in a negation scope, which the second view needs,
    /// takes at least two (a word and what separates it from the word before), so a text has at
    /// most 3 terms a byte: `6 × (n/2 + 2)` bounds them, as it does in
    /// `NGramVectorizer.withTermCounts`. A token's bytes are at most its own plus the `not_`.
    init(textBytes: Int) {
        occurrenceCapacity = 6 * (textBytes / 2 + 2)
        tokenCapacity = textBytes + 1
        tokenByteCapacity = textBytes + 4 * tokenCapacity
        let bytes =
            occurrenceCapacity * (MemoryLayout<UInt64>.stride + MemoryLayout<UInt32>.stride + MemoryLayout<Int32>.stride + 1) + tokenCapacity
            * (MemoryLayout<(Int32, Int32)>.stride + MemoryLayout<Int32>.stride) + MemoryLayout<Int32>.stride + tokenByteCapacity
        storage = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: MemoryLayout<UInt64>.alignment)
        var next = storage
        func carve<Element>(_ type: Element.Type, _ count: Int) -> UnsafeMutablePointer<Element> {
            let pointer = next.bindMemory(to: Element.self, capacity: count)
            next += count * MemoryLayout<Element>.stride
            return pointer
        }
        keys = carve(UInt64.self, occurrenceCapacity)
        hashes = carve(UInt32.self, occurrenceCapacity)
        lastTokens = carve(Int32.self, occurrenceCapacity)
        tokenRanges = carve((start: Int32, end: Int32).self, tokenCapacity)
        tokenStarts = carve(Int32.self, tokenCapacity + 1)
        details = carve(UInt8.self, occurrenceCapacity)
        tokenBytes = carve(UInt8.self, tokenByteCapacity)
        tokenStarts[0] = 0
    }

    /// Frees the buffers: the last use of these occurrences.
    func deallocate() {
        storage.deallocate()
    }

    @inline(__always)
    mutating func visit(token: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        precondition(tokenCount < tokenCapacity, "more tokens than a text of this length can have")
        tokenRanges[tokenCount] = (Int32(truncatingIfNeeded: range.lowerBound), Int32(truncatingIfNeeded: range.upperBound))
        let start = Int(tokenStarts[tokenCount])
        (tokenBytes + start).update(from: token.baseAddress!, count: token.count)
        tokenCount += 1
        tokenStarts[tokenCount] = Int32(truncatingIfNeeded: start + token.count)
    }

    @inline(__always)
    mutating func visit(column: UInt32, count times: Int, hash: UInt32, lastToken: Int, order: Int, plain: Bool) {
        precondition(count < occurrenceCapacity, "more terms than a text of this length can have")
        keys[count] = UInt64(column) << Self.positionBits | UInt64(count)
        hashes[count] = hash
        lastTokens[count] = Int32(truncatingIfNeeded: lastToken)
        details[count] = UInt8(truncatingIfNeeded: order | (times - 1) << 2 | (plain ? 8 : 0))
        count += 1
    }

    /// Keeps only the keys of the occurrences whose columns the table of `lookup` holds, each
    /// with its column replaced by the column's rank (the others add nothing to an explanation:
    /// see `ScaledColumnTable.Lookup.keepHeldAsRanks`), and sorts them: by column (ranks sort as
    /// columns do), and within one in the text's order.
    mutating func keepHeldInColumnOrder(in lookup: ScaledColumnTable.Lookup) {
        let keyCount = lookup.keepHeldAsRanks(UnsafeMutableBufferPointer(start: keys, count: count), shift: Self.positionBits)
        let held = UnsafeMutableBufferPointer(start: keys, count: keyCount)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(keyCount, 1)) { scratch in
            ColumnSort.sortStably(held, scratch: scratch, keyBits: Int(Self.positionBits) + lookup.rankBits) { $0 }
        }
        self.keyCount = keyCount
    }

    @inline(__always)
    static func rank(ofKey key: UInt64) -> Int {
        Int(truncatingIfNeeded: key >> positionBits)
    }

    @inline(__always)
    static func position(ofKey key: UInt64) -> Int {
        Int(truncatingIfNeeded: key & (1 << positionBits - 1))
    }

    @inline(__always)
    func order(at position: Int) -> Int {
        Int(details[position] & 3)
    }

    /// How many times the occurrence at `position` counts: 2 for a term both views share.
    @inline(__always)
    func times(at position: Int) -> Int {
        Int(details[position] >> 2 & 1) + 1
    }

    @inline(__always)
    func isPlain(at position: Int) -> Bool {
        details[position] & 8 != 0
    }

    /// The bytes of token `index`.
    func token(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: tokenBytes + Int(tokenStarts[index]), count: Int(tokenStarts[index + 1] - tokenStarts[index]))
    }
}
