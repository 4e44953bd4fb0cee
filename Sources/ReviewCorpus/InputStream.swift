import CZlib
import Glibc

/// A file, or standard input, read in chunks; gzip-compressed input is decompressed on the fly
/// (zlib reads uncompressed input unchanged), so `movie_data.csv.gz` needs no separate step.
///
/// Not safe for concurrent use; `Sendable` so that a reader can be handed to another thread,
/// which then owns it (the trainer reads on one thread and learns on another).
public final class InputStream: @unchecked Sendable {
    /// `-` for standard input, else the path.
    public let name: String
    /// The size on disk when it is a regular file, for progress reports.
    public let sizeOnDisk: Int?
    private let file: gzFile

    public init(path: String) throws(CorpusError) {
        name = path
        let fd = path == "-" ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .cannotOpen(path: path, reason: "it is a folder")
        }
        sizeOnDisk = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        guard let file = gzdopen(fd, "rb") else {
            close(fd)
            throw .cannotOpen(path: path, reason: "out of memory")
        }
        gzbuffer(file, 1 << 18)
        self.file = file
    }

    deinit {
        gzclose(file)
    }

    /// Bytes consumed from the file so far (compressed bytes for gzip input).
    public var bytesConsumed: Int {
        Int(gzoffset(file))
    }

    /// Fills `buffer` from its start; returns the count read, 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CorpusError) -> Int {
        guard buffer.count > 0 else { return 0 }
        let count = gzread(file, buffer.baseAddress, UInt32(buffer.count))
        // A gzip stream cut short ends like a complete one (gzread returns 0), with only
        // gzerror saying "unexpected end of file": check, rather than train on part of a file.
        var code: Int32 = Z_OK
        let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
        if count < 0 || (count == 0 && code != Z_OK) {
            throw .unreadable(path: name, reason: code == Z_ERRNO ? String(cString: strerror(errno)) : message)
        }
        return Int(count)
    }
}
