import ArgumentParser
import FeedbackDatabase
import FeedbackStore
import LiveModel
import ModelUpdate
import SentimentModel

struct Feedback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look at the visitors' feedback, and reject rows before they are folded.",
        discussion: """
            A rejected row teaches nothing: the update skips it, and the live workers, told by \
            the rejection, rebuild their model (the model file, then the rows after its \
            watermark that still count). Accepting a row undoes its rejection.

            A row already folded into the model file stays in it: training cannot take one \
            sample back out. Rejecting such a row is recorded, and matters from the next \
            rollback to a backup from before it (with --model, the command says which). \
            Repeats never count: a client's second vote for the same label on the same text (or \
            a near variant), or, for rows written outside the application, the same review with \
            the same label.

            The trust rules hold some rows when they are stored: past its client's budget, or \
            correcting a confident verdict before enough clients agree. Held rows teach nothing \
            until an admin accepts them; `list --held` shows them, `clients` the busiest \
            clients, and `accept` or `reject` with `--client` decides on all of a client's rows.
            """,
        subcommands: [List.self, Show.self, Clients.self, Reject.self, Accept.self, Export.self]
    )

    struct Database: ParsableArguments {
        @Option(help: ArgumentHelp("The feedback database: an SQLite file, or a postgresql:// URL.", valueName: "database"))
        var db: String

        func open() throws -> any FeedbackLog {
            do {
                return try FeedbackDatabase.open(db, mustExist: true)
            } catch {
                throw UserFacingError(error)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List feedback rows in id order: id, date, label, status, the start of the review."
        )

        @OptionGroup var database: Database

        @Option(help: ArgumentHelp("The model file, for --pending.", valueName: "model"))
        var model: String?

        @Flag(help: "Only rows after the model's watermark: not folded yet (needs --model).")
        var pending = false

        @Flag(help: "Only rejected rows.")
        var rejected = false

        @Flag(help: "Only rows not rejected.")
        var accepted = false

        @Flag(help: "Only rows the trust rules hold, waiting for an admin.")
        var held = false

        @Option(help: ArgumentHelp("Only this client's rows (an id `clients` lists).", valueName: "id"))
        var client: String?

        @Option(help: "Start after this id.")
        var after: Int64 = 0

        @Option(help: "At most this many rows.")
        var limit = 50

        func validate() throws {
            guard !pending || model != nil else { throw ValidationError("--pending needs --model: the rows after its watermark.") }
            guard [rejected, accepted, held, client != nil].filter({ $0 }).count <= 1 else {
                throw ValidationError("Give at most one of --rejected, --accepted, --held and --client.")
            }
            guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
        }

        func run() throws {
            let store = try database.open()
            let start = try pending ? max(after, Feedback.watermark(of: model!)) : after
            let filter: FeedbackFilter = rejected ? .rejected : accepted ? .notRejected : held ? .held : client.map { .client($0) } ?? .all
            let rows: [FeedbackRow]
            do {
                rows = try store.rows(after: start, limit: limit, filter: filter)
            } catch {
                throw UserFacingError(error)
            }
            for row in rows {
                print("\(row.id)\t\(row.date)\t\(Feedback.label(row.sentiment))\t\(Feedback.status(row))\t\(Feedback.excerpt(row.review))")
            }
            if rows.count == limit, let last = rows.last {
                print("… more after id \(last.id): --after \(last.id)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one feedback row in full.")

        @OptionGroup var database: Database

        @Option(help: ArgumentHelp("The model file: also say whether the row is folded into it.", valueName: "model"))
        var model: String?

        @Argument(help: "The row's id.")
        var id: Int64

        func run() throws {
            let store = try database.open()
            guard let row = try Feedback.row(id, in: store) else {
                throw UserFacingError("\(database.db): no feedback row \(id).")
            }
            print("id:       \(row.id)")
            print("date:     \(row.date) UTC")
            print("label:    \(Feedback.label(row.sentiment))")
            print("status:   \(Feedback.status(row))")
            print("client:   \(row.client ?? "none (written outside the application: trusted)")")
            if let model {
                let watermark = try Feedback.watermark(of: model)
                print("model:    \(row.id <= watermark ? "folded into" : "not yet folded into") \(model) (watermark \(watermark))")
            }
            print("review:")
            print(row.review)
        }
    }

    struct Clients: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the busiest clients: id, rows stored, rows that count, held, rejected, newest row.",
            discussion: "A client's id is a keyed hash of its address: the address itself is never stored."
        )

        @OptionGroup var database: Database

        @Option(help: "At most this many clients.")
        var limit = 20

        func run() throws {
            let store = try database.open()
            let clients: [ClientSummary]
            do {
                clients = try store.clients(limit: limit)
            } catch {
                throw UserFacingError(error)
            }
            print("client\trows\tcounted\theld\trejected\tnewest")
            for client in clients {
                print("\(client.client)\t\(client.rows)\t\(client.counted)\t\(client.held)\t\(client.rejected)\t\(client.latest)")
            }
        }
    }

    /// The rows a decision is about: ids, or every row of a client.
    struct Selection: ParsableArguments {
        @Option(help: ArgumentHelp("Every row of this client (an id `clients` lists).", valueName: "id"))
        var client: String?

        @Argument(help: "The ids of the rows.")
        var ids: [Int64] = []

        func validate() throws {
            guard (client == nil) != ids.isEmpty else { throw ValidationError("Give the ids of the rows, or --client, not both.") }
        }

        func resolve(in store: any FeedbackLog, database: String) throws -> [Int64] {
            guard let client else { return ids }
            let ids: [Int64]
            do {
                ids = try store.ids(ofClient: client)
            } catch {
                throw UserFacingError(error)
            }
            guard !ids.isEmpty else { throw UserFacingError("\(database): no feedback from client \(client); nothing was changed.") }
            return ids
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject rows: they stop counting, for the update and the live workers.",
            discussion: "A row already folded into the model file stays in it until a rollback to a backup from before it; give --model to be told."
        )

        @OptionGroup var database: Database

        @Option(help: ArgumentHelp("The model file: say which rows it already holds, and the backup to roll back to.", valueName: "model"))
        var model: String?

        @OptionGroup var selection: Selection

        func run() throws {
            try Feedback.decide(rejected: true, selection: selection, database: database, model: model)
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept rows: rejected ones again, held ones at last; they count, for the update and the live workers.",
            discussion:
                "A row the model file's watermark has passed stays out of that file until a rollback to a backup from before it; give --model to be told."
        )

        @OptionGroup var database: Database

        @Option(help: ArgumentHelp("The model file: say which rows its watermark has passed.", valueName: "model"))
        var model: String?

        @OptionGroup var selection: Selection

        func run() throws {
            try Feedback.decide(rejected: false, selection: selection, database: database, model: model)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the feedback as the book's CSV (review,sentiment) to standard output.",
            discussion: """
                By default only the rows that teach the model (the rows an update learns); \
                with --all, every row. Fields are quoted as RFC 4180 and pandas do when they \
                hold a comma, a quote or a line break, so `movieclassifier train --data` and \
                pandas.read_csv read it back.
                """
        )

        @OptionGroup var database: Database

        @Flag(help: "Every row, rejected, repeated and invalid ones included.")
        var all = false

        func run() throws {
            let store = try database.open()
            var output = "review,sentiment\n"
            var after: Int64 = 0
            do {
                while true {
                    let rows = try store.rows(after: after, limit: 10_000)
                    guard let last = rows.last else { break }
                    for row in rows {
                        if all || Feedback.teaches(row) {
                            output += CSV.field(row.review) + "," + String(row.sentiment) + "\n"
                        }
                    }
                    print(output, terminator: "")
                    output = ""
                    after = last.id
                }
            } catch {
                throw UserFacingError(error)
            }
            print(output, terminator: "")
        }
    }

    static func teaches(_ row: FeedbackRow) -> Bool {
        if case .learn = FeedbackVerdict(row) { return true }
        return false
    }

    static func row(_ id: Int64, in store: any FeedbackLog) throws -> FeedbackRow? {
        do {
            return try store.row(id: id)
        } catch {
            throw UserFacingError(error)
        }
    }

    static func watermark(of model: String) throws -> Int64 {
        do {
            return try ModelFile.load(from: model).watermark
        } catch {
            throw UserFacingError(error)
        }
    }

    /// Rejects or accepts `ids`, all or none: an unknown id stops the command before anything
    /// changes.
    static func decide(rejected: Bool, selection: Selection, database: Database, model: String?) throws {
        let store = try database.open()
        let ids = try selection.resolve(in: store, database: database.db)
        for id in ids where try row(id, in: store) == nil {
            throw UserFacingError("\(database.db): no feedback row \(id); nothing was changed.")
        }
        let watermark = try model.map(watermark(of:))
        let change: RejectionChange
        do {
            change = try store.setRejected(rejected, ids: ids)
        } catch {
            throw UserFacingError(error)
        }
        let verb = rejected ? "rejected" : "accepted"
        for id in change.changed { print("\(verb) row \(id)") }
        for id in change.unchanged { print("row \(id) was already \(verb)") }
        if !change.changed.isEmpty {
            print("live workers rebuild their model (model file + the rows that count) at their next request")
        }
        guard let model, let watermark else { return }
        let folded = change.changed.filter { $0 <= watermark }
        guard let first = folded.min() else { return }
        let rows = (folded.count > 1 ? "rows " : "row ") + folded.map(String.init).joined(separator: ", ")
        let them = folded.count > 1 ? "them" : "it"
        print(
            rejected
                ? "note: \(model) already holds \(rows) (watermark \(watermark)) and keeps what it learned from \(them)."
                : "note: \(model) was built past \(rows) (watermark \(watermark)) without \(them).")
        let goal = rejected ? "To take \(them) out" : "To learn \(them)"
        if let backup = olderBackup(of: model, before: first) {
            print("\(goal), roll back to a backup from before row \(first): movieclassifier rollback --model \(model) --to \(backup)")
        } else {
            print("No backup from before row \(first) is left: \(goal.prefix(1).lowercased() + goal.dropFirst()), retrain the model.")
        }
    }

    /// The newest backup whose watermark is below `id`: one that does not hold the row yet.
    static func olderBackup(of model: String, before id: Int64) -> String? {
        guard let backups = try? Backups(modelPath: model).list() else { return nil }
        return backups.first { backup in
            (try? ModelFile.load(from: backup.path).watermark).map { $0 < id } ?? false
        }?.path
    }

    static func label(_ sentiment: Int) -> String {
        switch sentiment {
        case 0: "negative"
        case 1: "positive"
        default: "label \(sentiment)"
        }
    }

    /// Whether the row counts, and if not, why.
    static func status(_ row: FeedbackRow) -> String {
        switch FeedbackVerdict(row) {
        case .learn: "counts"
        case .skip(.repeated): row.repeatOf.map { "repeats row \($0)" } ?? "repeats its client's vote"
        case .skip(.held): "\(row.state)"
        case .skip(let reason): "\(reason)"
        }
    }

    /// The review on one line, cut at 60 characters.
    static func excerpt(_ review: String) -> String {
        let line = review.map { $0.isNewline ? " " : $0 }
        return line.count > 60 ? String(line.prefix(59)) + "…" : String(line)
    }
}
