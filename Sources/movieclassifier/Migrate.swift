import ArgumentParser
import FeedbackDatabase
import FeedbackStore
import LiveModel
import PostgreSQLFeedbackStore
import SentimentModel
import Support

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy an SQLite feedback log and its model into a new PostgreSQL database.",
        discussion: """
            For a site moving from one machine to several: every row keeps its id, date, \
            client, trust state and rejection; the budgets and the admins' decisions come too, \
            and the model file becomes the database's first model version. A worker started on \
            the new database then builds the same live model, bit for bit, as one on the old \
            log. All in one transaction: interrupted, it leaves the database empty.

            Stop the workers writing the SQLite log first (feedback stored after the copy \
            began would stay behind), migrate, then start them with --db set to the URL and a \
            --key file shared by every host. The database must be new: it refuses one that \
            already holds feedback or a model.
            """
    )

    @Option(help: ArgumentHelp("The SQLite feedback database to copy.", valueName: "file"))
    var from: String

    @Option(help: ArgumentHelp("The new database: a postgresql:// URL.", valueName: "url"))
    var to: String

    @Option(help: ArgumentHelp("The model file the workers on the SQLite log served.", valueName: "model"))
    var model: String

    func validate() throws {
        guard FeedbackDatabase.isPostgreSQL(to) else { throw ValidationError("--to must be a postgresql:// URL.") }
        guard !FeedbackDatabase.isPostgreSQL(from) else { throw ValidationError("--from must be an SQLite file.") }
    }

    func run() throws {
        let report: MigrationReport
        let destination: String
        do {
            let bytes = try AtomicFile.read(model)
            let classifier = try ModelFile.decode(bytes, path: model)
            let source = try FeedbackStore(path: from, mustExist: true)
            let target = try PostgreSQLFeedbackStore(url: to)
            destination = target.location
            let publication = ModelPublication(modelFile: bytes, watermark: classifier.watermark, origin: "migrate from \(from) (\(model))")
            report = try target.migrate(from: source, model: publication)
        } catch {
            throw UserFacingError("\(error)")
        }
        print("copied \(from) to \(destination):")
        print(
            "  rows:       \(report.rows.grouped) (ids kept, the newest \(report.latestID.grouped)), \(report.rejected.grouped) rejected, \(report.held.grouped) held"
        )
        print("  budgets:    \(report.budgets.grouped) client windows")
        print("  decisions:  generation \(report.generation.grouped)")
        if let version = report.model {
            print("  model:      \(model) as model version \(version.id) (watermark \(version.watermark.grouped))")
        }
        print("start the workers with --db set to the URL and a --key file every host shares")
    }
}
