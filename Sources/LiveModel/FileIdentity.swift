import Glibc
import SentimentModel
import Support

/// Which file a path names, and which version of it, from one `stat(2)`. `ModelFile.save`
/// renames a new file over the old one, which changes the inode; a file rewritten in place
/// changes its modification time or size.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedNanoseconds: Int

    /// What a path that names no file (deleted, or not yet renamed into place) is taken as.
    static let missing = FileIdentity(device: 0, inode: 0, size: -1, modifiedNanoseconds: 0)

    private init(device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    init(path: String) throws(ModelFileError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadable(AtomicFile.Failure(path: path, operation: "look at the model file", code: errno))
        }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedNanoseconds = info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec
    }
}
