import Glibc
import ModelTraining
import ReviewCorpus
import SentimentModel
import Support

/// What a worker costs in memory once it has loaded a model, before its first request. Runs in
/// a process of its own (`--resident`), so that the benchmark's data set does not count.
struct ResidentCheck {
    let modelPath: String

    func run() throws {
        let before = try Self.residentKiB()
        let clock = ContinuousClock()
        let start = clock.now
        let classifier = try ModelFile.load(from: modelPath)
        let loading = clock.now - start
        let after = try Self.residentKiB()
        let probability = classifier.classify("An instant classic, moving and funny.").probabilityPositive
        let milliseconds = loading.seconds * 1e3
        print("a fresh process loading \(modelPath): \(format(milliseconds, 2)) ms (first load, page faults included)")
        print(
            "  RSS after loading: \(after) KiB, of which the model \(after - before) KiB (weights: \(classifier.regression.weightMemoryBytes / 1024) KiB)"
        )
        print("  P(positive) of a probe review: \(probability)")
    }

    /// `VmRSS` from /proc/self/status, in KiB.
    static func residentKiB() throws -> Int {
        guard let file = fopen("/proc/self/status", "r") else { throw ResidentCheckError.noProcStatus }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmRSS:"), let kib = Int(text.dropFirst(6).filter(\.isNumber)) { return kib }
        }
        throw ResidentCheckError.noProcStatus
    }
}
