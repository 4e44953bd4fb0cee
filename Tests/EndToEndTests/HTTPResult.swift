import Foundation
import Glibc
import TestSupport

/// What a test sees of an HTTP response.
struct HTTPResult {
    let status: Int
    /// Header names lowercased.
    let headers: [String: String]
    let body: String
}
