import Glibc

/// A file mapped read-only into memory, unmapped when the last reference goes.
package final class MappedFile {
    /// The file's bytes, valid while this object lives.
    package let bytes: UnsafeRawBufferPointer

    package init(base: UnsafeMutableRawPointer?, count: Int) {
        bytes = UnsafeRawBufferPointer(start: base, count: count)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
