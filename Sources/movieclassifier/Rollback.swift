import ArgumentParser
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
            """
    )

    @Option(help: ArgumentHelp("The model file to replace.", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("The backup to restore (default: the newest one older than the model).", valueName: "backup"))
    var to: String?

    func run() throws {
        let report: RollbackReport
        do {
            report = try ModelRollback(modelPath: model, target: to).run()
        } catch {
            throw UserFacingError(error)
        }
        print("restored \(report.restoredPath) as \(model) (watermark \(report.restoredWatermark.grouped))")
        if let saved = report.previousSavedAs, let watermark = report.previousWatermark {
            print("the replaced model (watermark \(watermark.grouped)) is saved as \(saved)")
        } else {
            print("the replaced model was missing or did not load; it was not kept")
        }
        print("workers replay the feedback after row \(report.restoredWatermark.grouped); the next update folds it again")
    }
}
