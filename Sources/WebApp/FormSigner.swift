import Crypto
import Glibc
import SentimentModel
import Support

/// Signs the hidden fields that carry a review and its prediction from the results page to the
/// feedback form, so that feedback is accepted only on what this server predicted: an
/// HMAC-SHA256 with a key only the server knows, as 64 hexadecimal digits.
public struct FormSigner {
    /// Why the key file could not be used; every message names the file.
    public enum KeyFileError: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        case uncreatable(path: String, reason: String)
        case wrongSize(path: String, size: Int)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason):
                "\(path): cannot read the form-signing key: \(reason)"
            case .uncreatable(let path, let reason):
                "\(path): cannot create the form-signing key: \(reason)"
            case .wrongSize(let path, let size):
                "\(path): a form-signing key is \(FormSigner.keySize) bytes, this file has \(size); delete it to have a new one made (pages already shown can then no longer be answered)"
            }
        }
    }

    /// SHA-256's output size, the least RFC 2104 recommends.
    public static let keySize = 32

    /// HMAC-SHA256 (RFC 2104) as two SHA-256 states that have taken the padded key, inner and
    /// outer: a code copies them, and hashes only its message and the inner digest. swift-crypto's
    /// `HMAC` computes the same bits, but is generic over its hash and takes its message as any
    /// `DataProtocol`, which looks up generic metadata on every call (a tenth of the cost of a
    /// batch of predictions besides classifying them); `SHA256` is a concrete type.
    private let inner: SHA256
    private let outer: SHA256

    public init(key: [UInt8]) {
        var block = key.count > SHA256.blockByteCount ? Array(SHA256.hash(data: key)) : key
        block += [UInt8](repeating: 0, count: SHA256.blockByteCount - block.count)
        var inner = SHA256()
        var outer = SHA256()
        (block.map { $0 ^ 0x36 }).withUnsafeBytes { inner.update(bufferPointer: $0) }
        (block.map { $0 ^ 0x5C }).withUnsafeBytes { outer.update(bufferPointer: $0) }
        self.inner = inner
        self.outer = outer
    }

    /// The signature of a (review, prediction) pair: 64 lowercase hexadecimal digits.
    public func signature(review: String, prediction: Sentiment) -> String {
        code(review: review, prediction: prediction).withUnsafeBytes { Hex.encode($0) }
    }

    /// Whether `signature` is this key's for the pair; compared in constant time.
    public func isValid(_ signature: String, review: String, prediction: Sentiment) -> Bool {
        guard let expected = Hex.decode(signature, count: SHA256.byteCount) else { return false }
        // The library's comparison of a digest with bytes takes the same time wherever they differ.
        return code(review: review, prediction: prediction) == expected
    }

    /// The id the feedback database keeps for a client address: the first 16 bytes of an HMAC
    /// of the address under the same key, as 32 hexadecimal digits. The same address always
    /// gives the same id on this site, and the address cannot be read back from it (nor found
    /// by trying addresses, without the key).
    public func clientID(address: String) -> String {
        code(Array("movieclassifier client v1\0".utf8), address).withUnsafeBytes {
            Hex.encode(UnsafeRawBufferPointer(rebasing: $0.prefix(16)))
        }
    }

    /// The HMAC of a (review, prediction) pair's message (see `messageHeader`).
    private func code(review: String, prediction: Sentiment) -> SHA256Digest {
        code(Self.messageHeader(reviewLength: review.utf8.count, prediction: prediction), review)
    }

    /// The HMAC of `header` followed by `text`'s UTF-8, which is not copied.
    private func code(_ header: [UInt8], _ text: String) -> SHA256Digest {
        var hash = inner
        header.withUnsafeBytes { hash.update(bufferPointer: $0) }
        var text = text
        text.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        var outerHash = outer
        hash.finalize().withUnsafeBytes { outerHash.update(bufferPointer: $0) }
        return outerHash.finalize()
    }

    /// A pair's message is this header and then the review: a purpose tag, the prediction as
    /// one byte, the review's UTF-8 length as eight bytes (big-endian). No two pairs share a
    /// message, and no signature made for anything else could pass for one of these.
    static func messageHeader(reviewLength: Int, prediction: Sentiment) -> [UInt8] {
        var header = Array("movieclassifier feedback v1\0".utf8)
        header.append(UInt8(prediction.rawValue))
        let length = UInt64(reviewLength)
        for shift in stride(from: 56, through: 0, by: -8) { header.append(UInt8(truncatingIfNeeded: length >> shift)) }
        return header
    }

    /// The signer for the key in `path`, which is created (32 random bytes, mode 0600) if there
    /// is none.
    ///
    /// Several workers start at once, and a key must never change under one that has signed with
    /// it: the new key is written to a temporary file of its own and hard-linked to `path`,
    /// which fails if another worker got there first (a rename would replace theirs); then
    /// whatever `path` holds is read back and used by all.
    public static func loadOrCreateKey(at path: String) throws(KeyFileError) -> FormSigner {
        if let key = try readKey(at: path) { return FormSigner(key: key) }
        try createKey(at: path)
        guard let key = try readKey(at: path) else { throw .unreadable(path: path, reason: "it vanished right after it was created") }
        return FormSigner(key: key)
    }

    /// The key in `path`, nil when there is no such file.
    private static func readKey(at path: String) throws(KeyFileError) -> [UInt8]? {
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            if error.code == ENOENT { return nil }
            throw .unreadable(path: path, reason: String(cString: strerror(error.code)))
        }
        guard bytes.count == keySize else { throw .wrongSize(path: path, size: bytes.count) }
        return bytes
    }

    /// Links a new random key to `path` unless a file is there already.
    static func createKey(at path: String) throws(KeyFileError) {
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let temporary = "\(path).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .uncreatable(path: path, reason: "\(temporary): \(String(cString: strerror(errno)))") }
        defer { unlink(temporary) }
        guard key.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == keySize, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .uncreatable(path: path, reason: "\(temporary): \(reason)")
        }
        close(fd)
        if link(temporary, path) != 0 && errno != EEXIST {
            throw .uncreatable(path: path, reason: String(cString: strerror(errno)))
        }
        do {
            try AtomicFile.syncFolder(AtomicFile.folder(of: path))
        } catch {
            throw .uncreatable(path: path, reason: "\(error)")
        }
    }
}
