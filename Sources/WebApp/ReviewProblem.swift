import Glibc

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
