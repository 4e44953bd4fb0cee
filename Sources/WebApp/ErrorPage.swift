/// Every answer other than a page of the journey, with the status and what the visitor is told.
enum ErrorPage: Error, Hashable {
    case notFound
    /// A known path, another method; `allow` is the `Allow` header.
    case methodNotAllowed(allow: String)
    case bodyTooLarge(limit: Int)
    case unsupportedMediaType
    case malformedForm
    /// Feedback without one of its fields, or with a value the page never sends.
    case incompleteFeedback
    /// Feedback whose signature does not match its review and prediction.
    case forgedFeedback
    /// The model or the feedback database failed.
    case unavailable
    /// The feedback database could not store a feedback (a full disk, a lock held too long).
    case feedbackNotSaved
    /// The client has sent more feedback in the window than the trust rules store.
    case tooMuchFeedback

    var status: Int {
        switch self {
        case .notFound: 404
        case .methodNotAllowed: 405
        case .bodyTooLarge: 413
        case .unsupportedMediaType: 415
        case .malformedForm, .incompleteFeedback, .forgedFeedback: 400
        case .unavailable, .feedbackNotSaved: 503
        case .tooMuchFeedback: 429
        }
    }

    var title: String {
        switch self {
        case .notFound: "Page not found"
        case .methodNotAllowed: "Method not allowed"
        case .bodyTooLarge: "Form too large"
        case .unsupportedMediaType: "Unsupported form encoding"
        case .malformedForm: "Unreadable form"
        case .incompleteFeedback: "Incomplete feedback"
        case .forgedFeedback: "Feedback not accepted"
        case .unavailable: "Temporarily unavailable"
        case .feedbackNotSaved: "Feedback not saved"
        case .tooMuchFeedback: "Too much feedback"
        }
    }

    var message: String {
        switch self {
        case .notFound:
            "There is no page at this address. The review form is on the home page."
        case .methodNotAllowed(let allow):
            "This address answers \(allow) requests only. Start again from the review form."
        case .bodyTooLarge(let limit):
            "The form sent is larger than the \(limit % 1024 == 0 ? "\(limit / 1024) KiB" : "\(limit) bytes") this site accepts. Please shorten the review."
        case .unsupportedMediaType:
            "Send the form as application/x-www-form-urlencoded in UTF-8, as a browser does."
        case .malformedForm:
            "The form's data is not valid URL-encoded UTF-8."
        case .incompleteFeedback:
            "Give feedback with the Correct or Incorrect button of a results page."
        case .forgedFeedback:
            "Feedback is accepted only on a prediction this site made, unchanged. Please submit the review again."
        case .unavailable:
            "The classifier cannot answer right now. Please try again in a moment."
        case .feedbackNotSaved:
            "Your feedback could not be saved just now, so nothing was recorded. Please go back and send it again in a moment."
        case .tooMuchFeedback:
            "This site has received a lot of feedback from your address today, so it stores no more for now. Thank you; please come back tomorrow."
        }
    }
}
