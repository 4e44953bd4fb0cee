import Glibc

extension ModelFile {
    /// The checksum a complete model file's bytes end in, when it matches their contents; nil
    /// for bytes damaged or cut short. A copy fetched from elsewhere (a shared log's version)
    /// is checked with it before it replaces a file that loads.
    public static func verifiedChecksum(of bytes: [UInt8]) -> UInt32? {
        guard bytes.count > 4 else { return nil }
        return bytes.withUnsafeBytes { buffer -> UInt32? in
            let stored = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: buffer.count - 4, as: UInt32.self))
            return checksum(of: UnsafeRawBufferPointer(rebasing: buffer[..<(buffer.count - 4)])) == stored ? stored : nil
        }
    }

    /// The checksum the file at `path` ends in, unchecked (a read of its last four bytes); nil
    /// when it cannot be read. Enough to tell whether a file is a copy of a given version
    /// without reading it all: one that is damaged fails when it is loaded.
    public static func storedChecksum(atPath path: String) -> UInt32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size > 4 else { return nil }
        var trailer: UInt32 = 0
        guard pread(fd, &trailer, 4, off_t(status.st_size - 4)) == 4 else { return nil }
        return UInt32(littleEndian: trailer)
    }
}
