import Glibc

/// The review as the application signs, classifies and stores it: line breaks as `\n`.
///
/// Browsers send line breaks as CRLF, from the textarea and from a hidden field alike, whatever
/// the page held; a review read the same way on both requests signs and checks the same.
enum Review {
    static func canonical(_ text: String) -> String {
        guard text.containsByte(UInt8(ascii: "\r")) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var afterCR = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") && afterCR {
                afterCR = false
                continue
            }
            afterCR = byte == UInt8(ascii: "\r")
            bytes.append(afterCR ? UInt8(ascii: "\n") : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why a review goes back to the form, and what the visitor is told next to the field.
/// Lengths are in Characters, as a visitor counts them.
enum ReviewProblem: Equatable {
    case missing
    /// Fewer than the minimum once leading and trailing whitespace is trimmed.
    case tooShort(length: Int, minimum: Int)
    case tooLong(length: Int, maximum: Int)
    /// U+0000, which an HTML page turns into U+FFFD: the review could not come back unchanged
    /// with the feedback.
    case nulCharacter

    /// The problem with `review`, nil when there is none. Characters are counted only as far as
    /// each limit needs: this runs on every request.
    init?(_ review: String, settings: WebSettings) {
        let trimmed = review.trimmingWhitespace()
        if trimmed.isEmpty {
            self = .missing
        } else if trimmed.prefix(settings.minReviewLength).count < settings.minReviewLength {
            self = .tooShort(length: trimmed.count, minimum: settings.minReviewLength)
        } else if review.utf8.count > settings.maxReviewLength, review.count > settings.maxReviewLength {
            self = .tooLong(length: review.count, maximum: settings.maxReviewLength)
        } else if review.containsByte(0) {
            self = .nulCharacter
        } else {
            return nil
        }
    }

    var message: String {
        switch self {
        case .missing:
            "Please write a review."
        case .tooShort(let length, let minimum):
            "Please write at least \(minimum) characters; this review has \(length)."
        case .tooLong(let length, let maximum):
            "Please keep the review to \(maximum) characters; this one has \(length)."
        case .nulCharacter:
            "The review contains a NUL character, which a web page cannot show; please remove it."
        }
    }
}

extension String {
    /// Whether the UTF-8 of the text contains `byte`: `memchr`, where a loop over `utf8` costs
    /// microseconds on a long review.
    func containsByte(_ byte: UInt8) -> Bool {
        var text = self
        return text.withUTF8 { bytes in bytes.baseAddress.map { memchr($0, Int32(byte), bytes.count) != nil } ?? false }
    }

    /// The text without leading and trailing whitespace: Unicode scalars with the White_Space
    /// property, as Python's `str.strip` in the book's form validation sees them.
    func trimmingWhitespace() -> Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return Substring(scalars[first...last])
    }
}
