import Foundation
import ReviewCorpus
import TestSupport
import XCTest

/// The test fixtures (see Fixtures/README.md), decompressed.
enum Fixtures {
    static func data(_ name: String) throws -> Data {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil), name)
        let input = try InputStream(path: url.path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try input.read(into: $0) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return Data(bytes)
    }

    /// A fresh empty folder under the system's temporary folder.
    static func temporaryFolder() throws -> String {
        let path = try ScratchFolder("movieclassifier-tests").path
        return path
    }
}
