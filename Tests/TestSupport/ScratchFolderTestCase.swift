import XCTest

/// Base class: a scratch folder per test, made on first use and removed after the test.
open class ScratchFolderTestCase: XCTestCase {
    private var scratch: ScratchFolder?

    /// This test's folder.
    public var folder: ScratchFolder {
        get throws {
            if let scratch { return scratch }
            let made = try ScratchFolder(String(describing: type(of: self)))
            scratch = made
            return made
        }
    }

    override open func tearDown() {
        scratch?.remove()
        scratch = nil
        super.tearDown()
    }
}
