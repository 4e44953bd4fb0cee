import Dispatch
import ReviewCorpus
import SentimentModel
import Support

/// A fixed-capacity FIFO: pushing into a full buffer returns the oldest element.
struct RingBuffer<Element> {
    private var storage: [Element] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        storage.reserveCapacity(capacity)
    }

    /// Adds `element`; returns the element that had to leave, or `element` itself when the
    /// capacity is 0.
    mutating func push(_ element: Element) -> Element? {
        if capacity == 0 { return element }
        if storage.count < capacity {
            storage.append(element)
            return nil
        }
        let evicted = storage[head]
        storage[head] = element
        head = (head + 1) % capacity
        return evicted
    }

    /// Oldest first.
    var elements: [Element] {
        Array(storage[head...] + storage[..<head])
    }
}
