import Dispatch
import ReviewCorpus
import SentimentModel
import Support

/// Trains a model from a stream of labelled reviews without holding the stream in memory: the
/// last `testSize` rows wait in a ring buffer, and every row pushed out of it joins the current
/// minibatch. So the rows are learned in file order, in batches, exactly as the book's
/// `stream_docs`/`get_minibatch` loop learns them, and the ring holds the test rows at the end.
///
/// Reading (decompressing and parsing) runs on a thread of its own, a few chunks ahead of
/// learning, so the two take the time of the slower one rather than their sum.
public struct BookProtocolTrainer {
    public let settings: TrainingSettings
    public private(set) var classifier: SentimentClassifier

    public init(settings: TrainingSettings, classifier: SentimentClassifier = SentimentClassifier()) {
        precondition(settings.batchSize > 0 && settings.testSize >= 0)
        self.settings = settings
        self.classifier = classifier
    }

    /// What the reading thread hands over.
    private enum Chunk: Sendable {
        case rows([LabeledReview])
        case end(skipped: [CorpusError])
        case failed(CorpusError)
    }

    /// Reads every row of `reader`, trains, scores the held-out rows, and (by default) learns
    /// them too. `progress` is called after each minibatch with the rows trained so far.
    public mutating func train(
        from reader: consuming LabeledReviewReader,
        progress: (_ rowsTrained: Int) -> Void = { _ in }
    ) throws(CorpusError) -> TrainingReport {
        var report = TrainingReport()
        let clock = ContinuousClock()
        let start = clock.now
        let chunks = Self.readAhead(reader)
        var heldOut = RingBuffer<LabeledSample>(capacity: settings.testSize)
        var batch: [LabeledSample] = []
        batch.reserveCapacity(settings.batchSize)
        reading: while true {
            switch chunks.receive() {
            case .rows(let rows):
                for review in rows {
                    let sample = LabeledSample(text: review.text, sentiment: review.label == 1 ? .positive : .negative)
                    guard let trainable = heldOut.push(sample) else { continue }
                    batch.append(trainable)
                    if batch.count == settings.batchSize {
                        learn(batch, report: &report)
                        batch.removeAll(keepingCapacity: true)
                        progress(report.trainingRows)
                    }
                }
            case .end(let skipped):
                report.skipped = skipped
                break reading
            case .failed(let error):
                throw error
            }
        }
        if !batch.isEmpty {
            learn(batch, report: &report)
            progress(report.trainingRows)
        }
        report.trainingSeconds = (clock.now - start).seconds

        let test = heldOut.elements
        report.testRows = test.count
        for sample in test where classifier.classify(sample.text).sentiment == sample.sentiment {
            report.testCorrect += 1
        }
        if settings.learnTestRows && !test.isEmpty {
            classifier.partialFit(test, shuffle: settings.shuffle)
        }
        return report
    }

    /// Starts a thread that reads `reader` to its end in chunks of 256 rows, at most 8 chunks
    /// ahead of the consumer.
    private static func readAhead(_ reader: consuming LabeledReviewReader) -> BoundedChannel<Chunk> {
        let chunks = BoundedChannel<Chunk>(capacity: 8)
        DispatchQueue.global().async { [reader] in
            var reader = reader
            var rows: [LabeledReview] = []
            do throws(CorpusError) {
                while let review = try reader.next() {
                    rows.append(review)
                    if rows.count == 256 {
                        chunks.send(.rows(rows))
                        rows = []
                    }
                }
                if !rows.isEmpty { chunks.send(.rows(rows)) }
                chunks.send(.end(skipped: reader.skipped))
            } catch {
                chunks.send(.failed(error))
            }
        }
        return chunks
    }

    private mutating func learn(_ batch: [LabeledSample], report: inout TrainingReport) {
        classifier.partialFit(batch, shuffle: settings.shuffle)
        report.trainingRows += batch.count
        report.batches += 1
    }
}
