import ArgumentParser
import FeedbackDatabase
import FeedbackStore
import ModelUpdate
import Support

struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup of the model back in place.",
        discussion: """
            Without --to, restores the newest backup (NAME_YYYYMMDD-HHMMSS.EXT beside the \
            model) whose watermark is below the model's: rolling back twice goes two updates \
            back. The current model is backed up first, then replaced atomically.

            The workers reload the restored file and replay the feedback after its watermark, \
            so a rollback loses no feedback and, by itself, changes no prediction. Reject bad \
            rows first (`movieclassifier feedback reject`), then roll back to a backup from \
            before them: the replay passes over them.

            With a postgresql:// --db the hosts share the model: the backups are its earlier \
            versions (`movieclassifier versions`), and the one restored is published as the \
            newest, which the workers of every host copy into their model file and load.
            """
    )

    @Option(help: ArgumentHelp("The model file to replace.", valueName: "model"))
    var model: String

    @Option(
        help: ArgumentHelp(
            "The backup to restore (default: the newest one older than the model); with a postgresql:// --db, a model version's number or a file.",
            valueName: "backup"))
    var to: String?

    @Option(
        help: ArgumentHelp(
            "A postgresql:// database whose hosts share the model: the version restored is published for all of them (an SQLite database keeps no model).",
            valueName: "database"))
    var db: String?

    func run() throws {
        let report: RollbackReport
        do {
            var rollback = ModelRollback(modelPath: model, target: to)
            if let db, FeedbackDatabase.isPostgreSQL(db) { rollback.sharedLog = try FeedbackDatabase.open(db) as? any SharedModelLog }
            report = try rollback.run()
        } catch let error as FeedbackStoreError {
            throw UserFacingError(error)
        } catch let error as ModelUpdateError {
            throw UserFacingError(error)
        }
        if let published = report.publishedVersion {
            print(
                "restored \(report.restoredPath) (watermark \(report.restoredWatermark.grouped)) as model version \(published.id), which every host loads"
            )
            if let problem = report.localCopyProblem {
                print("warning: this host's model file \(model) was not written (its workers copy the version themselves): \(problem)")
            }
        } else {
            print("restored \(report.restoredPath) as \(model) (watermark \(report.restoredWatermark.grouped))")
        }
        if let saved = report.previousSavedAs, let watermark = report.previousWatermark {
            print("the replaced model (watermark \(watermark.grouped)) is saved as \(saved)")
        } else {
            print("the replaced model was missing or did not load; it was not kept")
        }
        print("workers replay the feedback after row \(report.restoredWatermark.grouped); the next update folds it again")
    }
}
