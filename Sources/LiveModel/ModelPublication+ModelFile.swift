import FeedbackStore
import SentimentModel

extension ModelPublication {
    /// A model file's bytes (already decoded by the caller, which knows its watermark) to
    /// publish, its checksum read from them.
    public init(modelFile bytes: [UInt8], watermark: Int64, origin: String) {
        self.init(bytes: bytes, checksum: ModelFile.verifiedChecksum(of: bytes) ?? 0, watermark: watermark, origin: origin)
    }
}
