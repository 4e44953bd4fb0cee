import AdminReport
import ArgumentParser
import FeedbackDatabase
import FeedbackStore
import Glibc
import LiveModel
import Support

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the admin page as one self-contained HTML file.",
        discussion: """
            The page the server shows operators at /admin/: the model card and its backups, \
            feedback per day, the share of predictions visitors confirmed (per day and per \
            block of rows), the label balance, held rows and the busiest clients, and the live \
            model's strongest words and those that moved most since the model file. For a \
            shared host, where no private route can be served: the file embeds the site's \
            stylesheets and needs nothing else, no script and no network.

            The live model is built as a worker builds it (the model file, then every feedback \
            row after its watermark that counts), so the page shows what the workers serve. \
            The file is replaced atomically.
            """
    )

    @Option(help: ArgumentHelp("The feedback database: an SQLite file, or a postgresql:// URL.", valueName: "database"))
    var db: String

    @Option(help: ArgumentHelp("The model file the workers serve.", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("The site folder, with static/style.css and static/admin.css.", valueName: "folder"))
    var www = "www"

    func run() throws {
        let folder = AtomicFile.folder(of: out)
        var info = stat()
        guard stat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw UserFacingError("\(out): cannot write the report: the folder \(folder) does not exist.")
        }
        let css: String
        do {
            css = try ["style.css", "admin.css"].map { String(decoding: try AtomicFile.read("\(www)/static/\($0)"), as: UTF8.self) }
                .joined(separator: "\n")
        } catch {
            throw UserFacingError("\(error) (--www names the site folder, with static/style.css and static/admin.css)")
        }
        let facts: AdminFacts
        do {
            let store = try FeedbackDatabase.open(db, mustExist: true)
            facts = try AdminFacts.gather(store: store, live: try LiveClassifier(modelPath: model, store: store))
        } catch {
            throw UserFacingError("\(error)")
        }
        do {
            try AtomicFile.write(AdminPage.render(facts, styles: .embedded(css)), to: out)
        } catch {
            throw UserFacingError(error)
        }
        print(
            "wrote \(out): model \(facts.model.modelVersion), \(facts.statistics.rows.grouped) feedback rows, "
                + "\(facts.statistics.confirmed.grouped) of \(facts.statistics.predictions.grouped) predictions confirmed")
    }
}
