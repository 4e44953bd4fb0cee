import ArgumentParser
import FeedbackDatabase
import FeedbackStore
import LiveModel
import ModelUpdate

struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fold the visitors' feedback into the model file, safely beside live workers.",
        discussion: """
            Reads the feedback rows after the model's watermark (the last row folded in), in id \
            order, in batches, up to the newest row present when it starts: rows stored \
            meanwhile wait for the next run. Each row is learned exactly as the live workers \
            learn it, so the new file holds the weights every caught-up worker already has and \
            no prediction changes. Running it again folds nothing twice.

            A row is skipped, and counted by reason, when an admin rejected it, its label is \
            not 0 or 1, its review is empty or longer than \(FeedbackVerdict.maxReviewLength) \
            characters, or it repeats an earlier row: the same review, character for \
            character, with the same label (found through an index on its first and last 32 \
            characters and the label, then compared in full). A repeat of a rejected row is skipped too.

            The old model is backed up beside it as NAME_YYYYMMDD-HHMMSS.EXT (UTC; \
            classifier_20260102-030405.mcm for classifier.mcm), then the model is replaced \
            atomically: killed at any instant, the file is the old model or the new one. The \
            newest --keep backups are kept. `movieclassifier rollback` restores one.

            The book's reviews.sqlite works as --db: its table is upgraded in place (its rows \
            numbered in order, nothing lost) and the book's scripts can still write to it.
            """
    )

    @Option(help: ArgumentHelp("The model file to update (replaced atomically).", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("The feedback database: an SQLite file, or a postgresql:// URL.", valueName: "database"))
    var db: String

    @Option(help: "Rows read per query; memory is bounded by one batch.")
    var batchSize = 10_000

    @Flag(help: "Change nothing; report what would be folded, and how often the model was wrong on it.")
    var dryRun = false

    @Option(help: "Backups to keep, the new one included; older ones are deleted.")
    var keep = 10

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1.") }
        guard keep > 0 else { throw ValidationError("--keep must be at least 1: the backup this update makes.") }
    }

    func run() throws {
        let report: UpdateReport
        do {
            var updater = ModelUpdater(modelPath: model, store: try FeedbackDatabase.open(db, mustExist: true))
            updater.batchSize = batchSize
            updater.keep = keep
            updater.dryRun = dryRun
            report = try updater.run()
        } catch let error as FeedbackStoreError {
            throw UserFacingError(error)
        } catch let error as ModelUpdateError {
            throw UserFacingError(error)
        }
        print(report.text)
    }
}
