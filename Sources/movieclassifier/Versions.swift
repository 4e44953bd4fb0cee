import ArgumentParser
import FeedbackDatabase
import FeedbackStore
import Support

struct Versions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the model versions a postgresql:// database keeps for its hosts.",
        discussion: """
            With PostgreSQL the hosts share the model: `update` and `rollback` publish a new \
            version, the workers of every host copy the newest into their model file and load \
            it, and the earlier versions are its backups (`update --keep` of them are kept; \
            `rollback --to N` restores one). Newest first: its number, when and by whom it was \
            published, the last feedback row folded into it, its size and CRC-32, and what made it.
            """
    )

    @Option(help: ArgumentHelp("The postgresql:// database the hosts share.", valueName: "database"))
    var db: String

    func run() throws {
        guard FeedbackDatabase.isPostgreSQL(db) else {
            throw UserFacingError("\(db): an SQLite database keeps no model: the model is the file, and its backups are the files beside it.")
        }
        let versions: [ModelVersion]
        do {
            guard let log = try FeedbackDatabase.open(db) as? any SharedModelLog else { return }
            versions = try log.modelVersions()
        } catch {
            throw UserFacingError(error)
        }
        guard !versions.isEmpty else {
            print("no model version yet: the first worker to start publishes its model file")
            return
        }
        for version in versions {
            let checksum = String(version.checksum, radix: 16)
            print(
                "\(version.id)\t\(version.created)\t\(version.createdBy)\twatermark \(version.watermark.grouped)\t\(version.size.grouped) bytes\t\(String(repeating: "0", count: 8 - checksum.count) + checksum)\t\(version.origin)"
            )
        }
    }
}
