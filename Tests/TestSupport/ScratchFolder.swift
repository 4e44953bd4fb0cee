import Foundation

/// A fresh folder under the system's temporary directory, for one test's files; `remove()`
/// deletes it (`ScratchFolderTestCase` does that after each test).
public struct ScratchFolder: Sendable {
    public let url: URL
    /// `url`'s path.
    public var path: String { url.path }

    /// - Parameter prefix: begins the folder's name, so that a folder left behind says whose it is.
    public init(_ prefix: String = "movieclassifier-tests") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` in the folder.
    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Writes `bytes` to `name` in the folder and returns its path.
    @discardableResult
    public func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    @discardableResult
    public func write(_ text: String, to name: String) throws -> String {
        try write(Array(text.utf8), to: name)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
