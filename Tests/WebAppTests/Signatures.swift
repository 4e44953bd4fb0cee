import Foundation
import SentimentModel
import TestSupport
import XCTest

@testable import WebApp

/// Results gathered from several threads.
final class Signatures: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []

    func append(_ value: String) { lock.withLock { values.append(value) } }
    var all: [String] { lock.withLock { values } }
}
