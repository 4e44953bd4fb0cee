import Dispatch
import Synchronization

/// A first-in first-out queue between one producing and one consuming thread, holding at most
/// `capacity` elements: the producer waits when it is full, so memory stays bounded however
/// far ahead reading gets. Shared within the package: training and the update tool both read
/// on one thread while they learn on another.
package final class BoundedChannel<Element: Sendable>: Sendable {
    private let elements = Mutex<[Element]>([])
    private let filled = DispatchSemaphore(value: 0)
    private let free: DispatchSemaphore

    package init(capacity: Int) {
        free = DispatchSemaphore(value: capacity)
    }

    package func send(_ element: Element) {
        free.wait()
        elements.withLock { $0.append(element) }
        filled.signal()
    }

    package func receive() -> Element {
        filled.wait()
        let element = elements.withLock { $0.removeFirst() }
        free.signal()
        return element
    }
}
