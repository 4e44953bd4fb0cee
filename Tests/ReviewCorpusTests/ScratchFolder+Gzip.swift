import TestSupport

extension ScratchFolder {
    /// `gzip -c source > destination`, run with `/bin/gzip`; returns the destination's path.
    func gzip(_ source: String, to name: String) throws -> String {
        try write(gzipped(files: [source]), to: name)
    }
}
