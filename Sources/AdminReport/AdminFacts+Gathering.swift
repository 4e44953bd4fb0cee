import FeedbackStore
import Glibc
import LiveModel
import ModelUpdate
import SentimentModel

extension AdminFacts {
    /// Gathers the page's facts: the live model caught up first (a worker passes its own, the
    /// `report` command one it built), then the model file and its backups read (on a shared
    /// log, the model's versions in it), the log counted in one read transaction, the words
    /// recovered from the newest `texts` feedback texts. Every read is bounded: `days` days, at
    /// most `blocks` blocks, `clients` clients, `words` words a list, the backups
    /// `Backups.list()` finds or the versions `--keep` leaves.
    ///
    /// - Parameter now: seconds since the epoch, the time the page says it was made.
    public static func gather(
        store: any FeedbackLog, live: LiveClassifier, now: time_t = time(nil), days: Int = 60, blocks: Int = 40, clients: Int = 10,
        words: Int = 12, texts: Int = 5_000
    ) throws -> AdminFacts {
        try live.catchUp()
        let classifier = live.classifier
        var card = ModelCard(
            path: live.modelPath, sizeBytes: nil, digest: nil, fileWatermark: nil, variant: classifier.vectorizer.variant.rawValue,
            trainingRows: classifier.training?.rows, epochs: classifier.training?.epochs, liveWatermark: classifier.watermark,
            modelVersion: live.modelVersion, problem: live.modelFileProblem?.reason)
        var file: SentimentClassifier?
        do {
            let (loaded, checksum) = try ModelFile.loadWithChecksum(from: live.modelPath)
            file = loaded
            card.digest = Self.hex(checksum)
            card.fileWatermark = loaded.watermark
            var info = stat()
            if stat(live.modelPath, &info) == 0 { card.sizeBytes = Int64(info.st_size) }
        } catch {
            card.problem = card.problem ?? "\(error)"
        }
        // A shared log keeps the model's versions, and `update` keeps no file beside the model.
        let sharedVersions = try (store as? any SharedModelLog)?.modelVersions()
        let backups: [Backup] =
            sharedVersions != nil
            ? []
            : try Backups(modelPath: live.modelPath).list().map { backup in
                do {
                    return Backup(path: backup.path, watermark: try ModelFile.load(from: backup.path).watermark, problem: nil)
                } catch {
                    return Backup(path: backup.path, watermark: nil, problem: "\(error)")
                }
            }
        let statistics = try store.statistics(days: days, maximumBlocks: blocks)
        let busiest = try store.clients(limit: clients)
        let recent = try store.recentReviews(limit: texts)
        let found = WordRecovery(live: classifier, file: file).words(in: recent, count: words)
        return AdminFacts(
            model: card, backups: backups, statistics: statistics, clients: busiest, strongestPositive: found.positive,
            strongestNegative: found.negative, movers: found.movers, textsRead: recent.count, generated: Self.date(now),
            sharedVersions: sharedVersions)
    }

    /// 8 lowercase hex digits, as the model version writes the CRC-32.
    static func hex(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// `YYYY-MM-DD HH:MM:SS` in UTC, as SQLite's `DATETIME('now')` writes the log's dates.
    static func date(_ time: time_t) -> String {
        var time = time
        var fields = tm()
        gmtime_r(&time, &fields)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(fields.tm_year + 1900)-\(two(fields.tm_mon + 1))-\(two(fields.tm_mday)) \(two(fields.tm_hour)):\(two(fields.tm_min)):\(two(fields.tm_sec))"
    }
}
