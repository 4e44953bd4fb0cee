import Glibc
import SentimentModel
import Support

/// The backups of one model file: copies beside it named as the book names them,
/// `classifier_YYYYMMDD-HHMMSS.mcm` for `classifier.mcm` (the model's name, `_`, the UTC time,
/// the model's extension), with `-2`, `-3`… added when two fall in the same second.
public struct Backups: Sendable {
    /// The model file they back up.
    public let modelPath: String
    let folder: String
    let stem: String
    let fileExtension: String

    public init(modelPath: String) {
        self.modelPath = modelPath
        folder = AtomicFile.folder(of: modelPath)
        let name = AtomicFile.name(of: modelPath)
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            stem = String(name[..<dot])
            fileExtension = String(name[dot...])
        } else {
            stem = name
            fileExtension = ""
        }
    }

    /// One backup file, with what its name says.
    public struct Backup: Sendable, Equatable {
        public let path: String
        /// `YYYYMMDD-HHMMSS`, UTC.
        let stamp: String
        /// 1 for the first backup of a second, then 2, 3…
        let sequence: Int

        /// Whether `self` was made after `other`, by its name.
        func isNewer(than other: Backup) -> Bool {
            (stamp, sequence) > (other.stamp, other.sequence)
        }
    }

    /// The existing backups, newest first.
    public func list() throws(ModelUpdateError) -> [Backup] {
        guard let directory = opendir(folder) else {
            throw .file(.init(path: folder, operation: "list the model's folder", code: errno))
        }
        defer { closedir(directory) }
        var backups: [Backup] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if let backup = parse(name) { backups.append(backup) }
        }
        return backups.sorted { $0.isNewer(than: $1) }
    }

    /// A path for a backup made at `time` (seconds since the epoch), sorting after every
    /// backup of the same second: a number freed by `prune` is not reused, or the new backup
    /// would sort as the oldest.
    public func newPath(at time: time_t) throws(ModelUpdateError) -> String {
        let stamp = Self.stamp(time)
        let newest = try list().filter { $0.stamp == stamp }.map(\.sequence).max() ?? 0
        return path(stamp: stamp, sequence: newest + 1)
    }

    /// Deletes all but the newest `keep` backups; returns the deleted paths.
    public func prune(keep: Int) throws(ModelUpdateError) -> [String] {
        var removed: [String] = []
        for backup in try list().dropFirst(keep) {
            guard unlink(backup.path) == 0 || errno == ENOENT else {
                throw .file(.init(path: backup.path, operation: "delete the old backup", code: errno))
            }
            removed.append(backup.path)
        }
        return removed
    }

    func path(stamp: String, sequence: Int) -> String {
        "\(folder)/\(stem)_\(stamp)\(sequence > 1 ? "-\(sequence)" : "")\(fileExtension)"
    }

    /// The backup `name` is, or `nil` when it is any other file.
    func parse(_ name: String) -> Backup? {
        let prefix = stem + "_"
        guard name.hasPrefix(prefix), name.hasSuffix(fileExtension) else { return nil }
        let middle = name.dropFirst(prefix.count).dropLast(fileExtension.count)
        let parts = middle.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
            parts[0].count == 8, parts[1].count == 6,
            (parts[0] + parts[1]).allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        var sequence = 1
        if parts.count == 3 {
            guard let number = Int(parts[2]), number >= 2, String(number) == parts[2] else { return nil }
            sequence = number
        }
        let stamp = "\(parts[0])-\(parts[1])"
        return Backup(path: path(stamp: stamp, sequence: sequence), stamp: stamp, sequence: sequence)
    }

    /// `YYYYMMDD-HHMMSS` in UTC.
    static func stamp(_ time: time_t) -> String {
        var time = time
        var fields = tm()
        gmtime_r(&time, &fields)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(fields.tm_year + 1900)\(two(fields.tm_mon + 1))\(two(fields.tm_mday))-\(two(fields.tm_hour))\(two(fields.tm_min))\(two(fields.tm_sec))"
    }
}
