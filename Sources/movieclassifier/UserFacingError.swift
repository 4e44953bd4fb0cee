import ArgumentParser

/// A failure already explained to the user: print the message, exit non-zero.
struct UserFacingError: Error, CustomStringConvertible {
    let description: String

    init(_ error: some CustomStringConvertible) {
        description = error.description
    }
}
