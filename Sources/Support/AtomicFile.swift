import Glibc

/// Whole-file reads and crash-safe replacement, on POSIX calls so that every failure carries
/// its `errno`. The model, the signing key, the templates, the backups and the benchmarks all
/// read and replace files this way.
public enum AtomicFile {
    /// A failed system call: what was being done, to which path, and `strerror(errno)`.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let operation: String
        public let code: Int32

        public init(path: String, operation: String, code: Int32) {
            self.path = path
            self.operation = operation
            self.code = code
        }

        public var description: String {
            "\(path): cannot \(operation): \(String(cString: strerror(code)))"
        }
    }

    /// Reads the whole file.
    public static func read(_ path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, operation: "open it", code: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(path: path, operation: "stat it", code: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(path: path, operation: "read it", code: EISDIR) }
        // One byte more than the file: the read that finds the end needs room, and would
        // otherwise grow the buffer by a copy.
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
            let got = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, operation: "read it", code: errno)
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// Maps the whole file read-only. Reading a model this way costs a few page-table entries
    /// where `read` costs a page fault and a copy per 4 KB, which is most of a CGI process's
    /// model load. The mapping follows the file's inode: a file replaced by rename, as `write`
    /// replaces it, leaves the mapping intact; a file truncated in place under it would not.
    package static func map(_ path: String) throws(Failure) -> MappedFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, operation: "open it", code: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(path: path, operation: "stat it", code: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw Failure(path: path, operation: "read it", code: (info.st_mode & S_IFMT) == S_IFDIR ? EISDIR : EINVAL)
        }
        let count = Int(info.st_size)
        guard count > 0 else { return MappedFile(base: nil, count: 0) }
        guard let base = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw Failure(path: path, operation: "map it", code: errno)
        }
        return MappedFile(base: base, count: count)
    }

    /// Replaces `path` with `bytes` so that a reader, or the file system after a crash, sees the
    /// old file or the new one, never a mix: write a temporary file beside it, fsync it, rename
    /// it over the target, fsync the folder.
    public static func write(_ bytes: [UInt8], to path: String, permissions: mode_t = 0o644) throws(Failure) {
        let folder = Self.folder(of: path)
        let temporary = "\(folder)/.\(Self.name(of: path)).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw Failure(path: temporary, operation: "create it", code: errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw Failure(path: temporary, operation: "write it", code: code)
            }
            written += count
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temporary)
            throw Failure(path: temporary, operation: "flush it to disk", code: code)
        }
        close(fd)
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw Failure(path: path, operation: "replace it", code: code)
        }
        try syncFolder(folder)
    }

    /// Makes a rename or a new file in `folder` durable.
    public static func syncFolder(_ folder: String) throws(Failure) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: folder, operation: "open the folder", code: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw Failure(path: folder, operation: "flush the folder to disk", code: errno) }
    }

    /// The folder of `path`: what precedes its last `/`, `/` for a file at the root, `.` for a
    /// bare name.
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of `path`.
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
