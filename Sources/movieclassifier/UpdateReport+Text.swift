import ArgumentParser
import FeedbackStore
import LiveModel
import ModelUpdate
import Support

extension UpdateReport {
    /// What the admin reads.
    var text: String {
        var lines: [String] = []
        if rowsRead == 0 {
            lines.append("\(modelPath): nothing to fold: no feedback after its watermark (\(oldWatermark.grouped)).")
            return lines.joined(separator: "\n")
        }
        lines.append(dryRun ? "dry run: \(modelPath) is unchanged; an update would fold:" : "updated \(modelPath):")
        // A rate over a few milliseconds measures the start of the reading thread, not folding.
        let rate = foldingSeconds >= 0.1 ? ", \(Int(Double(rowsRead) / foldingSeconds).grouped) rows/s" : ""
        lines.append(
            "  rows read: \(rowsRead.grouped) (ids \((oldWatermark + 1).grouped) to \(newWatermark.grouped)) in \(foldingSeconds.fixed(2)) s\(rate)")
        lines.append("  learned:   \(learned.grouped)")
        let skippedCount = skipped.values.reduce(0, +)
        lines.append("  skipped:   \(skippedCount.grouped)")
        for reason in FeedbackVerdict.SkipReason.allCases {
            if let count = skipped[reason] { lines.append("    \(count.grouped) \(reason)") }
        }
        lines.append("  watermark: \(oldWatermark.grouped) -> \(newWatermark.grouped)")
        if let modelWrong {
            let share = learned > 0 ? " (\((Double(modelWrong) * 100 / Double(learned)).fixed(1))%)" : ""
            lines.append("  the model was wrong, as the visitors said, on \(modelWrong.grouped) of the \(learned.grouped) rows learned\(share)")
        }
        if let backupPath { lines.append("  backup:    \(backupPath)") }
        for removed in removedBackups { lines.append("  deleted old backup \(removed)") }
        if let publishedVersion {
            lines.append("  published: model version \(publishedVersion.id) for every host (the earlier versions are its backups)")
        }
        for removed in removedVersions { lines.append("  deleted old model version \(removed.id) (watermark \(removed.watermark.grouped))") }
        if let localCopyProblem {
            lines.append("  warning: this host's model file was not written (its workers copy the version themselves): \(localCopyProblem)")
        }
        return lines.joined(separator: "\n")
    }
}
