import Dispatch
import FeedbackStore
import Support

/// Reads the feedback rows of an update on a second thread, ahead of the folding: reading
/// (SQLite, the repeat lookups, the page reads) costs about as much as learning, so on two
/// cores the two overlap. The rows are queried `batchSize` at a time but handed over in chunks
/// of `chunkSize` as SQLite steps through them, at most `capacity` chunks ahead, so the memory
/// in flight is a few chunks, the same for a table of any size.
final class FeedbackReadAhead: Sendable {
    enum Item: Sendable {
        case rows([FeedbackRow])
        case end
        case failed(FeedbackStoreError)
    }

    static let chunkSize = 256
    static let capacity = 4

    private let channel = BoundedChannel<Item>(capacity: FeedbackReadAhead.capacity)

    /// Starts reading the rows after `first` up to `last`, in id order.
    ///
    /// `store` is used by the reading thread alone until it sends `.end` or `.failed`; the
    /// caller uses it again only after receiving one of them.
    init(store: any FeedbackLog, after first: Int64, through last: Int64, batchSize: Int) {
        nonisolated(unsafe) let store = store
        DispatchQueue.global().async { [self] in
            var after = first
            var chunk: [FeedbackRow] = []
            while after < last {
                let count: Int
                do throws(FeedbackStoreError) {
                    count = try store.forEachRow(after: after, through: last, limit: batchSize) { row in
                        chunk.append(row)
                        after = row.id
                        if chunk.count == Self.chunkSize {
                            channel.send(.rows(chunk))
                            chunk = []
                        }
                    }
                } catch {
                    channel.send(.failed(error))
                    return
                }
                if count < batchSize { break }
            }
            if !chunk.isEmpty { channel.send(.rows(chunk)) }
            channel.send(.end)
        }
    }

    /// The next chunk, `.end` after the last, or the error that stopped the reading.
    func next() -> Item {
        channel.receive()
    }
}
