/// What the metrics page says of the live model of the worker answering (every worker catches
/// up on the feedback before it answers, so they agree).
public struct ModelFacts: Sendable, Equatable {
    /// The API's `model_version`: the model file's digest and the watermark.
    public var version: String
    public var variant: String
    /// The id of the last feedback row the live model has applied.
    public var watermark: Int64

    public init(version: String, variant: String, watermark: Int64) {
        self.version = version
        self.variant = variant
        self.watermark = watermark
    }
}
