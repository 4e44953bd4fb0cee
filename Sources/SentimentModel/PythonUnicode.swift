/// The two pieces of Python's Unicode behaviour the book's tokenizer depends on, reproduced
/// scalar by scalar so that compatible mode matches scikit-learn exactly:
/// `str.lower()` (full case mapping, with the Final_Sigma rule) and the `\w` class of `re`
/// for `str` patterns (`str.isalnum()` or `_`).
enum PythonUnicode {
    /// Whether `re`'s `\w` matches the scalar: letters (Lu, Ll, Lt, Lm, Lo), anything with a
    /// numeric type (decimal, digit or numeric), and `_`. Combining marks are *not* word
    /// characters in Python, unlike in most regex engines.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return ASCIIClass.isWord(UInt8(truncatingIfNeeded: scalar.value)) }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return properties.numericType != nil
        }
    }
}

/// Byte classes for the ASCII fast path: plain arithmetic, no table, so the hot loop touches
/// no global state.
enum ASCIIClass {
    /// `[0-9A-Za-z_]`, Python's `\w` restricted to ASCII.
    @inline(__always)
    static func isWord(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "_")
    }

    /// The byte lowercased (`A`–`Z` only; other bytes unchanged).
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }
}

/// Reads Unicode scalars out of valid UTF-8 (a Swift `String`'s storage), forwards and backwards.
enum UTF8Scalars {
    /// The scalar starting at `offset` and the offset just after it.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[offset])
        if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), offset + 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = lead & (0x7F >> UInt32(length))
        for index in 1..<length {
            value = (value << 6) | (UInt32(bytes[offset + index]) & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", offset + length)
    }

    /// The offset of the scalar that ends just before `offset`.
    @inline(__always)
    static func start(before offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var start = offset - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return start
    }
}

extension PythonUnicode {
    /// Python's `str.lower()` of one non-ASCII scalar of `text` at `offset`, passed to `body`
    /// one scalar at a time. Capital sigma becomes final sigma `ς` where Python's Final_Sigma
    /// context says so (after a cased letter, not before one, case-ignorables skipped).
    static func forEachLowercased(
        _ scalar: Unicode.Scalar,
        at offset: Int,
        in text: UnsafeBufferPointer<UInt8>,
        _ body: (Unicode.Scalar) -> Void
    ) {
        if scalar.value == 0x3A3 {
            body(isFinalSigma(at: offset, in: text) ? "\u{3C2}" : "\u{3C3}")
            return
        }
        let properties = scalar.properties
        if !properties.changesWhenLowercased {
            body(scalar)
            return
        }
        for lowered in properties.lowercaseMapping.unicodeScalars { body(lowered) }
    }

    private static func isFinalSigma(at offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        var position = offset
        var casedBefore = false
        while position > 0 {
            position = UTF8Scalars.start(before: position, in: text)
            let (previous, _) = UTF8Scalars.decode(text, at: position)
            if previous.properties.isCaseIgnorable { continue }
            casedBefore = previous.properties.isCased
            break
        }
        guard casedBefore else { return false }
        var (_, next) = UTF8Scalars.decode(text, at: offset)
        while next < text.count {
            let (following, after) = UTF8Scalars.decode(text, at: next)
            if !following.properties.isCaseIgnorable { return !following.properties.isCased }
            next = after
        }
        return true
    }
}
