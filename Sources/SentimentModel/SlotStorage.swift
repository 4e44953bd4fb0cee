import Glibc

/// The zero-filled memory of a `WeightTable`'s slots.
///
/// A trained book model's table is 3 MB. In 4 KB pages, filling it takes 768 page faults, each
/// handing over a freshly zeroed page: about 1.5 ms here, the largest single cost of a plain CGI
/// request, which loads the model for every request. So a table of at least 2 MB is mapped on
/// its own, aligned to 2 MB and advised as huge-page memory (`MADV_HUGEPAGE`, honoured in the
/// kernel's default `madvise` mode): it fills with a fault per 2 MB, and a lookup into it misses
/// the TLB less. Where the kernel gives no huge pages, the mapping behaves as ordinary memory.
/// Smaller tables come from `calloc`.
///
/// `WeightTable` copies the storage before changing it while another table shares it, so the
/// class is never mutated while shared; that is what makes `@unchecked Sendable` sound.
final class SlotStorage: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<WeightTable.Slot>
    /// The whole mapping, alignment slack included, when the slots were mapped.
    private let mapping: UnsafeMutableRawBufferPointer?

    static let hugePageSize = 2 << 20

    /// `capacity` empty slots: all bits 0 is an empty slot.
    init(capacity: Int) {
        let bytes = capacity * MemoryLayout<WeightTable.Slot>.stride
        if bytes >= Self.hugePageSize, let (mapping, aligned) = Self.mapHugePageAligned(bytes) {
            self.mapping = mapping
            slots = UnsafeMutableBufferPointer(start: aligned.bindMemory(to: WeightTable.Slot.self, capacity: capacity), count: capacity)
        } else {
            guard let memory = calloc(capacity, MemoryLayout<WeightTable.Slot>.stride) else {
                fatalError("out of memory for \(capacity) weight slots")
            }
            mapping = nil
            slots = UnsafeMutableBufferPointer(start: memory.bindMemory(to: WeightTable.Slot.self, capacity: capacity), count: capacity)
        }
    }

    deinit {
        if let mapping {
            munmap(mapping.baseAddress, mapping.count)
        } else {
            free(slots.baseAddress)
        }
    }

    /// Storage of the same capacity holding the same slots.
    func copy() -> SlotStorage {
        let copy = SlotStorage(capacity: slots.count)
        _ = copy.slots.initialize(fromContentsOf: slots)
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
