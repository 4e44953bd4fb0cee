import ArgumentParser

@main
struct MovieClassifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "movieclassifier",
        abstract: "Train, inspect and maintain the movie-review sentiment model.",
        discussion: """
            The model file is the classifier the web workers serve. It is a documented binary \
            format (docs/model-format.md) that loading cannot turn into running code.
            """,
        subcommands: [
            Train.self, Classify.self, ImportSklearn.self, Update.self, Rollback.self, Versions.self, Migrate.self, Feedback.self, Report.self,
        ]
    )
}
