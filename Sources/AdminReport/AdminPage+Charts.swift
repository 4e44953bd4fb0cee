import FeedbackStore
import Support

extension AdminPage {
    /// The charts' drawing area in SVG user units: the SVG scales to the page's width.
    static let chartWidth = 600.0
    static let plotHeight = 120.0
    static let plotTop = 10.0
    /// Room on the left for the share axis's labels.
    static let axisWidth = 40.0

    /// Rows per day as stacked bars (counted, held, rejected, other: repeats), with the table
    /// of the same numbers.
    static func dayChart(_ days: [FeedbackStatistics.Day], _ html: inout HTMLOutput) {
        let highest = days.map(\.rows).max() ?? 0
        let slot = chartWidth / Double(max(days.count, 1))
        html.markup("  <figure class=\"chart\">\n    <figcaption id=\"days-caption\">")
        html.text("Feedback rows per UTC day, the newest \(days.count) days with any, split by what became of them")
        html.markup("</figcaption>\n")
        html.markup(
            "    <svg role=\"img\" aria-labelledby=\"days-caption\" viewBox=\"0 0 \(chartWidth.coordinate) \((plotTop + plotHeight + 20).coordinate)\">\n"
        )
        for (index, day) in days.enumerated() {
            let x = Double(index) * slot + slot * 0.15
            var bottom = plotTop + plotHeight
            let other = day.rows - day.counted - day.held - day.rejected
            for (kind, count) in [("counted", day.counted), ("held", day.held), ("rejected", day.rejected), ("other", other)] where count > 0 {
                let height = Double(count) / Double(highest) * plotHeight
                bottom -= height
                html.markup(
                    "      <rect class=\"bar-\(kind)\" x=\"\(x.coordinate)\" y=\"\(bottom.coordinate)\" width=\"\((slot * 0.7).coordinate)\" height=\"\(height.coordinate)\"></rect>\n"
                )
            }
        }
        let labelY = (plotTop + plotHeight + 15).coordinate
        if let first = days.first, let last = days.last {
            html.markup("      <text class=\"axis\" x=\"0\" y=\"\(labelY)\">")
            html.text(first.day)
            html.markup("</text>\n")
            if days.count > 1 {
                html.markup("      <text class=\"axis end\" x=\"\(chartWidth.coordinate)\" y=\"\(labelY)\">")
                html.text(last.day)
                html.markup("</text>\n")
            }
        }
        html.markup("    </svg>\n")
        legend([("counted", "counts"), ("held", "held"), ("rejected", "rejected"), ("other", "repeats")], &html)
        table(
            caption: "Feedback rows per UTC day", columns: ["Day", "Rows", "Count", "Held", "Rejected"],
            rows: days.map { [$0.day, $0.rows.grouped, $0.counted.grouped, $0.held.grouped, $0.rejected.grouped] }, &html)
        html.markup("  </figure>\n")
    }

    /// The labels the senders gave, as one bar split in two, with its table.
    static func balanceChart(negative: Int, positive: Int, _ html: inout HTMLOutput) {
        let total = negative + positive
        html.markup("  <figure class=\"chart\">\n    <figcaption id=\"balance-caption\">")
        html.text("Rows by the label their sender gave (rejected rows apart): \(percent(positive, of: total)) positive")
        html.markup("</figcaption>\n    <svg role=\"img\" aria-labelledby=\"balance-caption\" viewBox=\"0 0 \(chartWidth.coordinate) 30\">\n")
        if total > 0 {
            let negativeWidth = Double(negative) / Double(total) * chartWidth
            html.markup(
                "      <rect class=\"bar-negative\" x=\"0\" y=\"0\" width=\"\(negativeWidth.coordinate)\" height=\"30\"></rect>\n"
                    + "      <rect class=\"bar-positive\" x=\"\(negativeWidth.coordinate)\" y=\"0\" width=\"\((chartWidth - negativeWidth).coordinate)\" height=\"30\"></rect>\n"
            )
        }
        html.markup("    </svg>\n")
        legend([("negative", "negative"), ("positive", "positive")], &html)
        table(
            caption: "Rows by label", columns: ["Label", "Rows", "Share"],
            rows: [
                ["negative", negative.grouped, percent(negative, of: total)], ["positive", positive.grouped, percent(positive, of: total)],
            ], &html)
        html.markup("  </figure>\n")
    }

    /// The share confirmed per block of predictions, in id order, as a line, with its table
    /// (the cumulative share too).
    static func blockChart(_ blocks: [FeedbackStatistics.Block], _ html: inout HTMLOutput) {
        var rows: [[String]] = []
        var predictions = 0
        var confirmed = 0
        for block in blocks {
            predictions += block.predictions
            confirmed += block.confirmed
            rows.append([
                "\(Int(block.firstID).grouped)–\(Int(block.lastID).grouped)", block.predictions.grouped, block.confirmed.grouped,
                percent(block.confirmed, of: block.predictions), percent(confirmed, of: predictions),
            ])
        }
        shareChart(
            id: "blocks-caption", caption: "Share of predictions confirmed per block of predictions, in the order they were made",
            shares: blocks.map { Double($0.confirmed) / Double($0.predictions) }, &html)
        table(
            caption: "Predictions confirmed per block", columns: ["Row ids", "Predictions", "Confirmed", "Share", "Share so far"], rows: rows, &html)
        html.markup("  </figure>\n")
    }

    /// The share confirmed per UTC day, as a line, with its table.
    static func dailyShareChart(_ days: [FeedbackStatistics.Day], _ html: inout HTMLOutput) {
        shareChart(
            id: "daily-share-caption", caption: "Share of predictions confirmed per UTC day",
            shares: days.map { Double($0.confirmed) / Double($0.predictions) }, &html)
        table(
            caption: "Predictions confirmed per UTC day", columns: ["Day", "Predictions", "Confirmed", "Share"],
            rows: days.map { [$0.day, $0.predictions.grouped, $0.confirmed.grouped, percent($0.confirmed, of: $0.predictions)] }, &html)
        html.markup("  </figure>\n")
    }

    /// Opens a figure with a line of `shares` (0...1) over a 0–100% axis; the caller adds its
    /// table and closes the figure.
    private static func shareChart(id: String, caption: String, shares: [Double], _ html: inout HTMLOutput) {
        html.markup("  <figure class=\"chart\">\n    <figcaption id=\"\(id)\">")
        html.text(caption)
        html.markup(
            "</figcaption>\n    <svg role=\"img\" aria-labelledby=\"\(id)\" viewBox=\"0 0 \(chartWidth.coordinate) \((plotTop + plotHeight + 10).coordinate)\">\n"
        )
        for (share, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
            let y = (plotTop + (1 - share) * plotHeight).coordinate
            html.markup(
                "      <line class=\"grid\" x1=\"\(axisWidth.coordinate)\" y1=\"\(y)\" x2=\"\(chartWidth.coordinate)\" y2=\"\(y)\"></line>\n"
                    + "      <text class=\"axis end\" x=\"\((axisWidth - 4).coordinate)\" y=\"\(y)\">\(label)</text>\n")
        }
        let points = sharePoints(shares)
        html.markup(
            "      <polyline class=\"line\" points=\"\(points.map { "\($0.x.coordinate),\($0.y.coordinate)" }.joined(separator: " "))\"></polyline>\n"
        )
        for point in points {
            html.markup("      <circle class=\"point\" cx=\"\(point.x.coordinate)\" cy=\"\(point.y.coordinate)\" r=\"3\"></circle>\n")
        }
        html.markup("    </svg>\n")
    }

    /// Where each share is drawn: evenly across the plot, one alone in its middle; 100% at the
    /// top.
    static func sharePoints(_ shares: [Double]) -> [(x: Double, y: Double)] {
        let left = axisWidth + 10
        let width = chartWidth - left - 10
        return shares.enumerated().map { index, share in
            let x = shares.count > 1 ? left + width * Double(index) / Double(shares.count - 1) : left + width / 2
            return (x, plotTop + (1 - share) * plotHeight)
        }
    }

    /// The colours' names in words: a chart never says anything by colour alone.
    private static func legend(_ entries: [(kind: String, name: String)], _ html: inout HTMLOutput) {
        html.markup("    <ul class=\"legend\">")
        for entry in entries { html.markup("<li><span class=\"swatch bar-\(entry.kind)\"></span>\(entry.name)</li>") }
        html.markup("</ul>\n")
    }

    /// A chart's numbers: a table with a caption, column headers, and each row's first cell
    /// its header.
    private static func table(caption: String, columns: [String], rows: [[String]], _ html: inout HTMLOutput) {
        html.markup("    <table>\n      ")
        html.element("caption", "", caption)
        html.markup("\n      <thead><tr>")
        for (index, column) in columns.enumerated() { html.element("th", index == 0 ? "scope=\"col\"" : "scope=\"col\" class=\"number\"", column) }
        html.markup("</tr></thead>\n      <tbody>\n")
        for row in rows {
            html.markup("        <tr>")
            for (index, cell) in row.enumerated() {
                html.element(index == 0 ? "th" : "td", index == 0 ? "scope=\"row\"" : "class=\"number\"", cell)
            }
            html.markup("</tr>\n")
        }
        html.markup("      </tbody>\n    </table>\n")
    }
}
