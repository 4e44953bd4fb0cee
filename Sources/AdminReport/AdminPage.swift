import FeedbackStore
import Support

/// The admin page: the model card, the feedback, how often visitors confirmed the model, the
/// held rows and busiest clients, and the model's words, server-rendered for the operator.
///
/// It has no script and no `style` attribute, so the site's Content-Security-Policy
/// (`default-src 'none'; style-src 'self'`) serves it as it is: the charts are inline SVG whose
/// geometry is attributes and whose colours are the stylesheet's classes, each with a table of
/// the same numbers beside it (for screen readers, and for anyone who cannot tell the colours
/// apart). Every string from the database is escaped.
public enum AdminPage {
    /// How the page gets its stylesheets.
    public enum Styles: Sendable, Equatable {
        /// Linked from the site (`/static/style.css` and `/static/admin.css`): the server's page.
        case linked
        /// The CSS text in one `<style>` element: the `report` command's file, which has to be
        /// readable on its own, with no site behind it.
        case embedded(String)
    }

    /// The page as UTF-8 HTML.
    public static func render(_ facts: AdminFacts, styles: Styles) -> [UInt8] {
        var html = HTMLOutput()
        html.markup(
            """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>Admin · Movie review classifier</title>

            """)
        switch styles {
        case .linked:
            html.markup(
                "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
                    + "<link rel=\"stylesheet\" href=\"/static/style.css\">\n<link rel=\"stylesheet\" href=\"/static/admin.css\">\n")
        case .embedded(let css):
            // `</` would end the element early wherever it stood; `<\/` is the same CSS.
            html.markup("<style>\n\(css.replacing("</", with: "<\\/"))\n</style>\n")
        }
        html.markup("</head>\n<body class=\"admin\">\n<a class=\"skip\" href=\"#content\">Skip to the content</a>\n<header class=\"site\">\n")
        html.markup(
            styles == .linked
                ? "  <a class=\"brand\" href=\"/\">Movie review classifier</a>\n" : "  <span class=\"brand\">Movie review classifier</span>\n")
        html.markup("  <p class=\"tagline\">Admin: the model and what the visitors taught it, as of ")
        html.text(facts.generated)
        html.markup(" UTC</p>\n</header>\n<main id=\"content\" class=\"admin\">\n")
        modelSection(facts, &html)
        feedbackSection(facts.statistics, &html)
        confirmationSection(facts.statistics, &html)
        clientSection(facts, &html)
        wordSection(facts, &html)
        html.markup(
            """
            </main>
            <footer class="site">
              <p>A read-only view. Reject or accept rows with <code>movieclassifier feedback</code>; fold them into the model file with <code>movieclassifier update</code>.</p>
            </footer>
            </body>
            </html>

            """)
        return html.bytes
    }

    private static func modelSection(_ facts: AdminFacts, _ html: inout HTMLOutput) {
        let model = facts.model
        html.markup("<section class=\"card\" aria-labelledby=\"model-title\">\n  <h1 id=\"model-title\">The model</h1>\n")
        if let problem = model.problem {
            html.markup("  <p class=\"problem\">")
            html.text(problem)
            html.markup("</p>\n")
        }
        html.markup("  <dl class=\"facts\">\n")
        func fact(_ name: String, _ value: String) {
            html.element("dt", "", name)
            html.element("dd", "", value)
            html.markup("\n")
        }
        fact("File", model.path)
        fact("Size", model.sizeBytes.map { "\(Int($0).grouped) bytes" } ?? "unknown: the file does not load")
        fact("CRC-32", model.digest ?? "unknown")
        fact("Variant", model.variant)
        fact("Version", model.modelVersion)
        if let rows = model.trainingRows {
            fact("Trained on", "\(Int(rows).grouped) reviews" + (model.epochs.map { ", \($0) epochs" } ?? ""))
        }
        fact("Feedback in the file", model.fileWatermark.map { "rows through id \(Int($0).grouped)" } ?? "unknown")
        fact("Feedback applied", "rows through id \(Int(model.liveWatermark).grouped)")
        html.markup("  </dl>\n")
        if let versions = facts.sharedVersions {
            sharedVersionsTable(versions, &html)
        } else {
            backupsTable(facts.backups, &html)
        }
        html.markup("</section>\n")
    }

    /// The model's versions in a log that several hosts share: the newest is served, the
    /// earlier ones are what `rollback` goes back to.
    private static func sharedVersionsTable(_ versions: [ModelVersion], _ html: inout HTMLOutput) {
        html.markup("  <h2>Model versions in the shared log</h2>\n")
        guard !versions.isEmpty else {
            html.markup("  <p class=\"none\">None yet: the first worker to start publishes its model file.</p>\n")
            return
        }
        html.markup(
            "  <table>\n    <caption>Newest first: every host serves the first; <code>movieclassifier rollback</code> goes back to an earlier one</caption>\n"
                + "    <thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Made by</th><th scope=\"col\">Who</th>"
                + "<th scope=\"col\">When (UTC)</th><th scope=\"col\" class=\"number\">Feedback through id</th><th scope=\"col\">CRC-32</th></tr></thead>\n"
                + "    <tbody>\n")
        for version in versions {
            html.markup("      <tr>")
            html.element("th", "scope=\"row\"", "\(version.id)")
            html.element("td", "", version.origin)
            html.element("td", "", version.createdBy)
            html.element("td", "", version.created)
            html.element("td", "class=\"number\"", Int(version.watermark).grouped)
            html.element("td", "", AdminFacts.hex(version.checksum))
            html.markup("</tr>\n")
        }
        html.markup("    </tbody>\n  </table>\n")
    }

    /// The model files `update` and `rollback` kept beside the model on one host.
    private static func backupsTable(_ backups: [AdminFacts.Backup], _ html: inout HTMLOutput) {
        html.markup("  <h2>Previous model files</h2>\n")
        if backups.isEmpty {
            html.markup("  <p class=\"none\">None yet: <code>movieclassifier update</code> keeps the file it replaces.</p>\n")
        } else {
            html.markup(
                "  <table>\n    <caption>Backups kept by update and rollback, newest first</caption>\n"
                    + "    <thead><tr><th scope=\"col\">File</th><th scope=\"col\" class=\"number\">Feedback through id</th></tr></thead>\n    <tbody>\n"
            )
            for backup in backups {
                html.markup("      <tr>")
                html.element("th", "scope=\"row\"", backup.path)
                if let watermark = backup.watermark {
                    html.element("td", "class=\"number\"", Int(watermark).grouped)
                } else {
                    html.element("td", "", "does not load: \(backup.problem ?? "")")
                }
                html.markup("</tr>\n")
            }
            html.markup("    </tbody>\n  </table>\n")
        }
    }

    private static func feedbackSection(_ statistics: FeedbackStatistics, _ html: inout HTMLOutput) {
        html.markup("<section class=\"card\" aria-labelledby=\"feedback-title\">\n  <h1 id=\"feedback-title\">Feedback</h1>\n")
        guard statistics.rows > 0 else {
            html.markup("  <p class=\"none\">No feedback yet: the charts appear once visitors say whether a prediction was right.</p>\n</section>\n")
            return
        }
        let held = statistics.held
        html.markup("  <p class=\"lead\">")
        html.text(
            "\(statistics.rows.grouped) rows stored: \(statistics.counted.grouped) count, \(held.grouped) held for an admin, "
                + "\(statistics.rejected.grouped) rejected.")
        html.markup("</p>\n  <h2>Rows per day</h2>\n")
        dayChart(statistics.days, &html)
        html.markup("  <h2>Label balance</h2>\n")
        balanceChart(negative: statistics.negativeLabels, positive: statistics.positiveLabels, &html)
        html.markup(
            "  <h2>What the trust rules decided</h2>\n  <table>\n    <caption>Rows by state (rejected rows apart)</caption>\n"
                + "    <thead><tr><th scope=\"col\">State</th><th scope=\"col\" class=\"number\">Rows</th></tr></thead>\n    <tbody>\n")
        for state in FeedbackState.allCases {
            html.markup("      <tr>")
            html.element("th", "scope=\"row\"", "\(state.rawValue): \(state.description)")
            html.element("td", "class=\"number\"", statistics.states[state, default: 0].grouped)
            html.markup("</tr>\n")
        }
        html.markup("      <tr><th scope=\"row\">rejected by an admin</th>")
        html.element("td", "class=\"number\"", statistics.rejected.grouped)
        html.markup("</tr>\n    </tbody>\n  </table>\n</section>\n")
    }

    private static func confirmationSection(_ statistics: FeedbackStatistics, _ html: inout HTMLOutput) {
        html.markup(
            "<section class=\"card\" aria-labelledby=\"confirmed-title\">\n  <h1 id=\"confirmed-title\">Predictions the visitors confirmed</h1>\n")
        let predictions = statistics.predictions
        guard predictions > 0 else {
            html.markup(
                "  <p class=\"none\">No feedback on a prediction yet: each visitor's feedback records what the model said before it learned the row.</p>\n</section>\n"
            )
            return
        }
        html.markup("  <p class=\"lead\">")
        html.text(
            "Visitors confirmed \(statistics.confirmed.grouped) of \(predictions.grouped) predictions (\(percent(statistics.confirmed, of: predictions))). "
                + "Each was made before the model learned its row, so a rising line means the model gets better as it learns.")
        html.markup("</p>\n  <h2>Per block of \(statistics.rowsPerBlock.grouped) predictions</h2>\n")
        blockChart(statistics.blocks, &html)
        html.markup("  <h2>Per day</h2>\n")
        let predictedDays = statistics.days.filter { $0.predictions > 0 }
        if predictedDays.isEmpty {
            html.markup("  <p class=\"none\">No prediction in the days shown: the feedback on predictions is older.</p>\n")
        } else {
            dailyShareChart(predictedDays, &html)
        }
        html.markup("  <h2>Predicted and true labels</h2>\n")
        let c = statistics.confusion
        html.markup(
            "  <table class=\"confusion\">\n    <caption>Predictions by what the model said (rows) and what the visitor said (columns)</caption>\n"
                + "    <thead><tr><td></td><th scope=\"col\" class=\"number\">truly negative</th><th scope=\"col\" class=\"number\">truly positive</th></tr></thead>\n"
                + "    <tbody>\n      <tr><th scope=\"row\">predicted negative</th>")
        html.element("td", "class=\"number\"", c.predictedNegativeTruthNegative.grouped)
        html.element("td", "class=\"number\"", c.predictedNegativeTruthPositive.grouped)
        html.markup("</tr>\n      <tr><th scope=\"row\">predicted positive</th>")
        html.element("td", "class=\"number\"", c.predictedPositiveTruthNegative.grouped)
        html.element("td", "class=\"number\"", c.predictedPositiveTruthPositive.grouped)
        html.markup("</tr>\n    </tbody>\n  </table>\n</section>\n")
    }

    private static func clientSection(_ facts: AdminFacts, _ html: inout HTMLOutput) {
        html.markup("<section class=\"card\" aria-labelledby=\"clients-title\">\n  <h1 id=\"clients-title\">Held rows and the busiest clients</h1>\n")
        let statistics = facts.statistics
        html.markup("  <p class=\"lead\">")
        html.text(
            "\(statistics.held.grouped) rows held: \(statistics.states[.overBudget, default: 0].grouped) over their client's budget, "
                + "\(statistics.states[.needsAgreement, default: 0].grouped) waiting for more clients to agree. "
                + "List them with movieclassifier feedback list --held.")
        html.markup("</p>\n")
        guard !facts.clients.isEmpty else {
            html.markup("  <p class=\"none\">No visitor has sent feedback yet.</p>\n</section>\n")
            return
        }
        html.markup(
            "  <table>\n    <caption>The busiest clients (keyed hashes of their addresses)</caption>\n    <thead><tr><th scope=\"col\">Client</th>"
                + "<th scope=\"col\" class=\"number\">Rows</th><th scope=\"col\" class=\"number\">Count</th><th scope=\"col\" class=\"number\">Held</th>"
                + "<th scope=\"col\" class=\"number\">Rejected</th><th scope=\"col\">Latest (UTC)</th></tr></thead>\n    <tbody>\n")
        for client in facts.clients {
            html.markup("      <tr>")
            html.element("th", "scope=\"row\" class=\"client\"", client.client)
            for count in [client.rows, client.counted, client.held, client.rejected] { html.element("td", "class=\"number\"", count.grouped) }
            html.element("td", "", client.latest)
            html.markup("</tr>\n")
        }
        html.markup("    </tbody>\n  </table>\n</section>\n")
    }

    private static func wordSection(_ facts: AdminFacts, _ html: inout HTMLOutput) {
        html.markup("<section class=\"card\" aria-labelledby=\"words-title\">\n  <h1 id=\"words-title\">The model's words</h1>\n  <p class=\"lead\">")
        html.text(
            "The model hashes its words, so it cannot list them: these are the words seen in the newest \(facts.textsRead.grouped) feedback texts, "
                + "hashed as the model hashes them. Words that share a column share its weight and are shown together. A weight is what one "
                + "occurrence pushes the decision by, before the review's length is divided out.")
        html.markup("</p>\n")
        wordTable(
            "strongest-positive", "The strongest words towards positive", facts.strongestPositive, showChange: false,
            empty: "No word in the feedback pushes towards positive.", &html)
        wordTable(
            "strongest-negative", "The strongest words towards negative", facts.strongestNegative, showChange: false,
            empty: "No word in the feedback pushes towards negative.", &html)
        wordTable(
            "movers", "The words learning moved most since the model file", facts.movers, showChange: true,
            empty: "No weight has moved since the model file: the live model has learned no feedback yet.", &html)
        html.markup("</section>\n")
    }

    private static func wordTable(
        _ id: String, _ title: String, _ words: [AdminFacts.Word], showChange: Bool, empty: String, _ html: inout HTMLOutput
    ) {
        html.markup("  <h2 id=\"\(id)\">")
        html.text(title)
        html.markup("</h2>\n")
        guard !words.isEmpty else {
            html.markup("  <p class=\"none\">")
            html.text(empty)
            html.markup("</p>\n")
            return
        }
        html.markup("  <table class=\"words\" aria-labelledby=\"\(id)\">\n    <thead><tr><th scope=\"col\">Words</th>")
        html.markup(
            showChange
                ? "<th scope=\"col\" class=\"number\">In the file</th><th scope=\"col\" class=\"number\">Now</th><th scope=\"col\" class=\"number\">Change</th>"
                : "<th scope=\"col\" class=\"number\">Weight</th>")
        html.markup("<th scope=\"col\" class=\"number\">Seen</th></tr></thead>\n    <tbody>\n")
        for word in words {
            html.markup("      <tr><th scope=\"row\">")
            for (index, name) in word.names.enumerated() {
                if index > 0 { html.markup(" <span class=\"shared\">/</span> ") }
                html.element("span", "class=\"word\"", name)
            }
            html.markup("</th>")
            let weights = showChange ? [word.fileWeight, word.liveWeight, word.change] : [word.liveWeight]
            for weight in weights { html.element("td", "class=\"number \(weight < 0 ? "toward-negative" : "toward-positive")\"", signed(weight)) }
            html.element("td", "class=\"number\"", word.occurrences.grouped)
            html.markup("</tr>\n")
        }
        html.markup("    </tbody>\n  </table>\n")
    }

    /// `confirmed / total` as a percentage with one decimal.
    static func percent(_ part: Int, of total: Int) -> String {
        total > 0 ? (100 * Double(part) / Double(total)).fixed(1) + "%" : "–"
    }

    /// A weight with its sign always written (`+0.512`, `−0.034`).
    static func signed(_ weight: Double) -> String {
        let text = abs(weight).fixed(3)
        return (weight < 0 && text != "0.000" ? "−" : "+") + text
    }
}
