import TestSupport

extension ScratchFolderTestCase {
    /// Writes `text` to a fresh file and returns its path.
    func file(_ text: String, name: String = "data.csv") throws -> String {
        try folder.write(text, to: name)
    }

    func file(bytes: [UInt8], name: String = "data.csv") throws -> String {
        try folder.write(bytes, to: name)
    }
}
