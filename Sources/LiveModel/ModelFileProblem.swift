/// A model file that replaced the one in use but could not be loaded (corrupt, truncated, of
/// a newer format, gone): the live model keeps serving what it holds, and keeps learning the
/// feedback, until a file that loads takes its place.
public struct ModelFileProblem: Equatable, Sendable, CustomStringConvertible {
    /// The file it is about, so that another bad file is another problem, said again.
    let file: FileIdentity
    /// Why it could not be loaded, naming the file.
    public let reason: String

    public var description: String {
        "the model file was replaced by one that cannot be loaded (\(reason)); serving the model loaded before, with the feedback since, "
            + "until a good file is renamed into place"
    }
}
