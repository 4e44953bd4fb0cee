import Foundation

/// What the tests need to drive the application as a browser would.
enum Browser {
    static let templates = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../www/templates").standardizedFileURL.path
}
