import Support

/// JSON text written straight into bytes, as Foundation's `JSONEncoder` writes it with
/// `.sortedKeys` and `.withoutEscapingSlashes` (the API's answers were that encoder's, and stay
/// the same bytes): numbers in the shortest form that reads back the same, without a `.0` on
/// whole ones; `"` and `\` escaped, control characters as `\n`, `\t`... or `\u00XX`; the rest of
/// UTF-8 as it is. The caller writes an object's members in sorted order.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// Fails for NaN and the infinities, which JSON cannot carry.
    struct NotANumber: Error {}

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `"name":`, a member's name (the API's names need no escaping).
    mutating func name(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(contentsOf: "\":".utf8)
    }

    mutating func string(_ text: String) {
        JSONString.append(text, quotedTo: &bytes)
    }

    mutating func number(_ value: Double) throws(NotANumber) {
        guard value.isFinite else { throw NotANumber() }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func integer(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    /// `[` element, element... `]`, each written by `element`.
    mutating func array<Element>(_ elements: [Element], _ element: (inout JSONWriter, Element) throws(NotANumber) -> Void) throws(NotANumber) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            try element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func comma() { bytes.append(UInt8(ascii: ",")) }
    mutating func open() { bytes.append(UInt8(ascii: "{")) }
    mutating func close() { bytes.append(UInt8(ascii: "}")) }
}
