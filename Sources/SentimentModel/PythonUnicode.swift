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
