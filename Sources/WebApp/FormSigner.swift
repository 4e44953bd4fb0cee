import Crypto
import Glibc
import SentimentModel

/// Signs the hidden fields that carry a review and its prediction from the results page to the
/// feedback form, so that feedback is accepted only on what this server predicted: an
/// HMAC-SHA256 with a key only the server knows.
public struct FormSigner {
    private let key: SymmetricKey

    public enum KeyFileError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case wrongSize(path: String, size: Int)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason):
                return "\(path): cannot read or create the form-signing key: \(reason)"
            case .wrongSize(let path, let size):
                return "\(path): a form-signing key is 32 bytes, this file has \(size); delete it to make a new one (pages already shown can then no longer be answered)"
            }
        }
    }

    public static let keySize = 32

    public init(key: [UInt8]) {
        self.key = SymmetricKey(data: key)
    }

    /// The signature of a (review, prediction) pair, hex. The message is length-prefixed, so no
    /// two pairs share one.
    public func signature(review: String, prediction: Sentiment) -> String {
        HMAC<SHA256>.authenticationCode(for: Self.message(review: review, prediction: prediction), using: key)
            .map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }
            .joined()
    }

    /// Checks a signature in constant time.
    public func isValid(_ signature: String, review: String, prediction: Sentiment) -> Bool {
        guard let code = Self.bytes(hex: signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Self.message(review: review, prediction: prediction), using: key)
    }

    private static func message(review: String, prediction: Sentiment) -> [UInt8] {
        Array("movieclassifier feedback v1\n\(prediction.rawValue)\n\(review.utf8.count)\n".utf8) + Array(review.utf8)
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// The signer for the key in `path`, which is created (32 random bytes, mode 0600) if there
    /// is none. Several workers start at once: the key is written to a temporary file and
    /// linked into place, which fails if another worker got there first, whose key is then used.
    public static func loadOrCreateKey(at path: String) throws(KeyFileError) -> FormSigner {
        if let existing = try read(path) { return FormSigner(key: existing) }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<keySize).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let temporary = "\(path).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        let written = key.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        defer { unlink(temporary) }
        guard written == keySize, synced else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard let stored = try read(path) else { throw .unreadable(path: path, reason: "it vanished") }
        return FormSigner(key: stored)
    }

    private static func read(_ path: String) throws(KeyFileError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: keySize + 1)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard count == keySize else { throw .wrongSize(path: path, size: count) }
        return Array(buffer.prefix(keySize))
    }
}
