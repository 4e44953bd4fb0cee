import FeedbackStore
import SentimentModel
import Support

extension LiveClassifier {
    /// Makes the model file at `path` a copy of the shared log's newest model version, unless
    /// it already is one (its checksum says so, a read of four bytes): the worker then loads
    /// it as any replaced file. The copy is checked against the version's checksum and
    /// written atomically, so a reader never sees part of it; workers of one host that copy
    /// the same version at once write the same bytes.
    ///
    /// On a log with no version yet, `offeringFile` publishes the file as the first (a new
    /// database's first worker to start), and the others copy it: every host then serves one
    /// model from the start, whatever files they were given.
    static func copyNewestSharedModel(from log: any SharedModelLog, to path: String, offeringFile: Bool) throws {
        var newest = try log.newestModelVersion()
        if newest == nil, offeringFile {
            let bytes: [UInt8]
            do {
                bytes = try AtomicFile.read(path)
            } catch {
                throw ModelFileError.unreadable(error)
            }
            let model = try ModelFile.decode(bytes, path: path)
            newest = try log.publishFirstModel(
                ModelPublication(
                    modelFile: bytes, watermark: model.watermark, origin: "the model file of the first worker to start (\(path))"))
        }
        guard let newest, ModelFile.storedChecksum(atPath: path) != newest.checksum,
            // Deleted meanwhile (pruned): a newer version was published, and is announced.
            let bytes = try log.modelBytes(of: newest.id)
        else { return }
        guard ModelFile.verifiedChecksum(of: bytes) == newest.checksum else {
            throw SharedModelCopyError.damaged(version: newest.id, log: log.location)
        }
        try AtomicFile.write(bytes, to: path)
    }
}
