/// Something a test waits for did not happen in time: the test fails instead of hanging.
struct TestTimeout: Error, CustomStringConvertible {
    let description: String
}
