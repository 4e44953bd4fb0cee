/// Why the feedback database cannot be used. Every message names the database file and says
/// what to do about it.
public enum FeedbackStoreError: Error, CustomStringConvertible, Sendable {
    /// The folder meant to hold the database does not exist, or is not a folder.
    case folderMissing(path: String, folder: String)
    /// The folder exists but this user cannot create files in it; in WAL mode SQLite keeps two
    /// files beside the database (`-wal`, `-shm`) and must be able to create them.
    case folderNotWritable(path: String, folder: String)
    /// The database was to be read, not created, and there is no file.
    case missing(path: String)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// The database records migrations this build does not know: a newer movieclassifier
    /// upgraded it, and this one could misread it.
    case newerSchema(path: String, unknownMigrations: [String])
    /// SQLite could not open or prepare the database for another reason.
    case cannotOpen(path: String, reason: String)
    /// A read or a write failed on an open database.
    case failed(path: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case .folderMissing(let path, let folder):
            return
                "\(path): cannot create the feedback database: the folder \(folder) does not exist. Create it, or give a path in an existing folder."
        case .folderNotWritable(let path, let folder):
            return
                "\(path): cannot use the feedback database: the folder \(folder) is not writable by this user, and SQLite (WAL mode) creates its -wal and -shm files beside the database. Give the user the workers run as write access to the folder."
        case .missing(let path):
            return
                "\(path): no such feedback database. Give the path of the database the workers write (their --db), or of the book's reviews.sqlite."
        case .notADatabase(let path):
            return
                "\(path): not an SQLite database. Give the path of the feedback database, or of a file to create; restore a damaged database from a backup."
        case .newerSchema(let path, let unknownMigrations):
            return
                "\(path): the feedback database was upgraded by a newer movieclassifier (migrations unknown to this build: \(unknownMigrations.joined(separator: ", "))). Run that version, or use a copy of the database made before the upgrade."
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the feedback database: \(reason)"
        case .failed(let path, let operation, let reason):
            return "\(path): cannot \(operation): \(reason)"
        }
    }
}
