/// HTML escaping on UTF-8 bytes: `< > & " '` replaced by character references, so that text
/// can end neither an element nor an attribute value, whatever Characters it is made of (a
/// quote followed by a combining mark is one Character, but its quote is still escaped). The
/// pages' templates and the admin page both write text through it. The entry points are
/// inlinable (a results page escapes its review on every request); the two loops are not, so
/// that `ByteMask`'s masks are inlined into them.
package enum HTMLText {
    /// Appends `text` escaped, with no String made.
    @inlinable
    package static func append(_ text: String, escapedTo output: inout [UInt8]) {
        var contiguous = text
        contiguous.withUTF8 { append($0, escapedTo: &output) }
    }

    /// Appends UTF-8 `bytes` escaped.
    @inlinable
    package static func append(_ bytes: UnsafeBufferPointer<UInt8>, escapedTo output: inout [UInt8]) {
        let added = addedLength(bytes)
        if added == 0 {
            output.append(contentsOf: bytes)
            return
        }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bytes.count + added))
        output.withUnsafeMutableBufferPointer { _ = write(bytes, escapedTo: $0.baseAddress! + start) }
    }

    /// `text` escaped; `text` itself when nothing needs escaping.
    @inlinable
    package static func escaped(_ text: String) -> String {
        var contiguous = text
        return contiguous.withUTF8 { bytes in
            let added = addedLength(bytes)
            if added == 0 { return text }
            return String(unsafeUninitializedCapacity: bytes.count + added) { escaped in write(bytes, escapedTo: escaped.baseAddress!) }
        }
    }

    /// How many bytes escaping adds to `bytes`; 0 when nothing needs escaping. Eight bytes at a
    /// time, with no branch: each special byte's count from its mask (`ByteMask`) times what its
    /// reference adds.
    @usableFromInline
    static func addedLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var added = 0
        var index = 0
        while bytes.count &- index >= 8 {
            let x = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
            let three = ByteMask.matches(x, UInt8(ascii: "<")) | ByteMask.matches(x, UInt8(ascii: ">"))
            let four = ByteMask.matches(x, UInt8(ascii: "&")) | ByteMask.matches(x, UInt8(ascii: "'"))
            let five = ByteMask.matches(x, UInt8(ascii: "\""))
            added &+= 3 &* ByteMask.count(three) &+ 4 &* ByteMask.count(four) &+ 5 &* ByteMask.count(five)
            index &+= 8
        }
        for byte in bytes[index...] {
            let length = reference(for: byte).utf8CodeUnitCount
            if length != 0 { added &+= length &- 1 }
        }
        return added
    }

    /// Writes `bytes` escaped from `output` on (room for `bytes.count + addedLength` bytes) and
    /// returns the count written. Runs without special bytes, nearly all of a review, are
    /// copied whole, and looked at eight bytes at a time.
    @usableFromInline
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, escapedTo output: UnsafeMutablePointer<UInt8>) -> Int {
        var end = 0
        var runStart = 0
        var block = 0
        while block < bytes.count {
            let blockEnd = min(block &+ 8, bytes.count)
            if blockEnd &- block == 8 && !hasSpecial(UnsafeRawPointer(bytes.baseAddress! + block).loadUnaligned(as: UInt64.self)) {
                block = blockEnd
                continue
            }
            for index in block..<blockEnd {
                let reference = reference(for: bytes[index])
                if reference.utf8CodeUnitCount == 0 { continue }
                let run = index &- runStart
                (output + end).update(from: bytes.baseAddress! + runStart, count: run)
                end &+= run
                (output + end).update(from: reference.utf8Start, count: reference.utf8CodeUnitCount)
                end &+= reference.utf8CodeUnitCount
                runStart = index &+ 1
            }
            block = blockEnd
        }
        (output + end).update(from: bytes.baseAddress! + runStart, count: bytes.count &- runStart)
        return end &+ bytes.count &- runStart
    }

    /// Whether any of the eight bytes in `x` is one of `< > & " '`.
    @inline(__always)
    static func hasSpecial(_ x: UInt64) -> Bool {
        ByteMask.matches(x, UInt8(ascii: "<")) | ByteMask.matches(x, UInt8(ascii: ">")) | ByteMask.matches(x, UInt8(ascii: "&"))
            | ByteMask.matches(x, UInt8(ascii: "\"")) | ByteMask.matches(x, UInt8(ascii: "'")) != 0
    }

    /// The character reference `byte` is written as; empty when it is written as itself.
    @inline(__always)
    static func reference(for byte: UInt8) -> StaticString {
        switch byte {
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: ""
        }
    }
}
