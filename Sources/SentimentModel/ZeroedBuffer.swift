import Glibc

/// Zero-filled memory for the weights of a model: a `WeightTable`'s slots, a
/// `ScaledColumnTable`'s blocks and entries.
///
/// A trained book model's table is 3 MB, the n-gram model's entries 6 MB. In 4 KB pages,
/// filling them takes a page fault per 4 KB, each handing over a freshly zeroed page: about
/// 1.5 ms for the book's table, the largest single cost of a plain CGI request, which loads the
/// model for every request. So a buffer of at least 2 MB is mapped on its own, aligned to 2 MB
/// and advised as huge-page memory (`MADV_HUGEPAGE`, honoured in the kernel's default `madvise`
/// mode): it fills with a fault per 2 MB, and a lookup into it misses the TLB less. Where the
/// kernel gives no huge pages, the mapping behaves as ordinary memory. Smaller buffers come
/// from `calloc`.
///
/// Its owners copy the buffer before changing it while another owner shares it, so the class is
/// never mutated while shared; that is what makes `@unchecked Sendable` sound.
final class ZeroedBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    let elements: UnsafeMutableBufferPointer<Element>
    /// The whole mapping, alignment slack included, when the elements were mapped.
    private let mapping: UnsafeMutableRawBufferPointer?

    static var hugePageSize: Int { 2 << 20 }

    /// `count` elements whose bits are all 0.
    init(count: Int) {
        let stride = MemoryLayout<Element>.stride
        let bytes = max(count, 1) * stride
        if bytes >= Self.hugePageSize, let (mapping, aligned) = Self.mapHugePageAligned(bytes) {
            self.mapping = mapping
            elements = UnsafeMutableBufferPointer(start: aligned.bindMemory(to: Element.self, capacity: count), count: count)
        } else {
            guard let memory = calloc(max(count, 1), stride) else {
                fatalError("out of memory for \(count) elements of \(stride) bytes")
            }
            mapping = nil
            elements = UnsafeMutableBufferPointer(start: memory.bindMemory(to: Element.self, capacity: count), count: count)
        }
    }

    deinit {
        if let mapping {
            munmap(mapping.baseAddress, mapping.count)
        } else {
            free(elements.baseAddress)
        }
    }

    /// A buffer of the same size holding the same elements.
    func copy() -> ZeroedBuffer {
        let copy = ZeroedBuffer(count: elements.count)
        _ = copy.elements.initialize(fromContentsOf: elements)
        return copy
    }

    /// An anonymous mapping with room for `bytes` rounded up to whole huge pages from a 2 MB
    /// boundary, advised as huge-page memory; nil when the system refuses the mapping. The slack
    /// before and after the aligned part is address space only and never touched.
    private static func mapHugePageAligned(
        _ bytes: Int
    ) -> (mapping: UnsafeMutableRawBufferPointer, aligned: UnsafeMutableRawPointer)? {
        let length = (bytes + hugePageSize - 1) / hugePageSize * hugePageSize
        let mappedLength = length + hugePageSize
        guard let base = mmap(nil, mappedLength, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            base != MAP_FAILED
        else { return nil }
        let address = UInt(bitPattern: base)
        let alignedAddress = (address + UInt(hugePageSize) - 1) & ~(UInt(hugePageSize) - 1)
        let aligned = base + Int(alignedAddress - address)
        madvise(aligned, length, MADV_HUGEPAGE)
        return (UnsafeMutableRawBufferPointer(start: base, count: mappedLength), aligned)
    }
}
