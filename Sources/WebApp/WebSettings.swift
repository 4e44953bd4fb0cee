/// What the application accepts. A value, fixed when a worker starts.
public struct WebSettings: Sendable, Equatable {
    /// The largest request body read; a larger one is answered with 413 before it is decoded.
    /// 256 KiB, as nginx's `client_max_body_size 256k` in `nginx/`: a review at
    /// `maxReviewLength` in any script fits, percent-encoded (4 UTF-8 bytes × 3 per character:
    /// 20,000 characters are at most 240,000 bytes), so such a review is told it is too long
    /// rather than refused as too large.
    public var maxBodyBytes: Int
    /// The book's form (WTForms `length(min=15)`) demands at least 15 characters; counted after
    /// leading and trailing whitespace is trimmed.
    public var minReviewLength: Int
    /// An upper bound the book lacks, so one visitor cannot make the model read a novel.
    public var maxReviewLength: Int

    public init(maxBodyBytes: Int = 256 * 1024, minReviewLength: Int = 15, maxReviewLength: Int = 20_000) {
        self.maxBodyBytes = maxBodyBytes
        self.minReviewLength = minReviewLength
        self.maxReviewLength = maxReviewLength
    }
}
