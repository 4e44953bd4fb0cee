/// Something a test waits for did not happen in time: the test fails instead of hanging.
public struct TestTimeout: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}
