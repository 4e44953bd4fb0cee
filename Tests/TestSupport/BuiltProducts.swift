import Foundation

/// The folder the package's executables were built into: beside the test bundle.
public enum BuiltProducts {
    /// The built executable `name`, found beside the bundle of the test class `testCase`.
    public static func executable(_ name: String, besides testCase: AnyClass) -> String {
        var folder = Bundle(for: testCase).bundleURL
        if folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent(name).path
    }

    /// The repository's root, from this file's place in it.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}
