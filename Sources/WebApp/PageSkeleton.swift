/// A page rendered once by the template library, with a marker in place of each value that
/// changes from request to request, then cut at the markers. Rendering it for a request copies
/// the pieces and the escaped values: no template walk, no context lookups through `Any`, which
/// cost a results page ten times what the rest of the request did.
///
/// A value given as a String is HTML-escaped wherever it appears, as `{{name}}` escapes it, so
/// the pages read exactly as the template library renders them (a test compares the two on
/// hostile input); an `HTMLFragment`, built from escaped pieces, goes in as it is.
struct PageSkeleton {
    /// The bytes between slots: one more than `slots`.
    private let pieces: [[UInt8]]
    /// Which value fills each gap between two pieces.
    private let slots: [Int]
    /// The bytes of the pieces, to size a page at once.
    private let fixedLength: Int

    /// The marker that stands for value `index`: control characters no template holds and the
    /// escaper leaves alone.
    static func marker(_ index: Int) -> String {
        "\u{1}\(index)\u{2}"
    }

    /// Cuts `rendered` (a page rendered with `marker(i)` as value `i`) at the markers. Nil when
    /// the page holds a marker byte that does not start a marker of a value below `valueCount`.
    init?(rendered: [UInt8], valueCount: Int) {
        var pieces: [[UInt8]] = []
        var slots: [Int] = []
        var pieceStart = 0
        var index = 0
        while index < rendered.count {
            guard rendered[index] == 1 else {
                guard rendered[index] != 2 else { return nil }
                index += 1
                continue
            }
            guard let close = rendered[index...].firstIndex(of: 2),
                let value = Int(String(decoding: rendered[(index + 1)..<close], as: UTF8.self)),
                (0..<valueCount).contains(value)
            else { return nil }
            pieces.append(Array(rendered[pieceStart..<index]))
            slots.append(value)
            index = close + 1
            pieceStart = index
        }
        pieces.append(Array(rendered[pieceStart...]))
        self.pieces = pieces
        self.slots = slots
        fixedLength = pieces.reduce(0) { $0 + $1.count }
    }

    /// The page with `values[i]` (escaped) wherever value `i` appears. Each value is escaped
    /// once, however often it appears, and the page is written into one allocation.
    func render(_ values: [String]) -> [UInt8] {
        render(values.map(HTMLFragment.init(escaping:)))
    }

    /// The page with `fragments[i]` as it is wherever value `i` appears (the template writes
    /// such a value `{{{name}}}`): for markup the server builds from escaped pieces.
    func render(_ fragments: [HTMLFragment]) -> [UInt8] {
        let filled = fragments.map(\.bytes)
        var length = fixedLength
        for value in slots { length += filled[value].count }
        return [UInt8](unsafeUninitializedCapacity: length) { page, count in
            var end = page.baseAddress!
            func copy(_ bytes: [UInt8]) {
                bytes.withUnsafeBufferPointer { bytes in
                    guard let start = bytes.baseAddress else { return }
                    end.initialize(from: start, count: bytes.count)
                    end += bytes.count
                }
            }
            copy(pieces[0])
            for (gap, value) in slots.enumerated() {
                copy(filled[value])
                copy(pieces[gap + 1])
            }
            count = length
        }
    }
}
