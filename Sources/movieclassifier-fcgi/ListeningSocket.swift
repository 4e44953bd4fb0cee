import Glibc

/// The socket the workers accept FastCGI connections on: a unix socket path, or
/// `HOST:PORT` on a loopback or other local address. Opened by the master before it forks, so
/// every worker accepts on the same socket. (libfcgi's `FCGX_OpenSocket` calls `exit()` on
/// failure, hence this.)
enum ListeningSocket {
    enum Failure: Error, CustomStringConvertible {
        case system(address: String, operation: String, code: Int32)
        case badAddress(String)
        case inUse(path: String)
        case notASocket(path: String)

        var description: String {
            switch self {
            case .system(let address, let operation, let code):
                return "cannot \(operation) \(address): \(String(cString: strerror(code)))"
            case .badAddress(let address):
                return "\(address) is neither a socket path (with a /) nor HOST:PORT with an IPv4 address"
            case .inUse(let path):
                return "\(path): another server accepts connections on this socket; stop it first (or give another --listen path)"
            case .notASocket(let path):
                return "\(path) exists and is not a socket; remove it or give another --listen path"
            }
        }
    }

    /// nginx's own default. The kernel caps it at `net.core.somaxconn` (4096 by default since
    /// Linux 5.4, 128 before), so asking for 511 gets the smaller of the two.
    static let backlog: Int32 = 511

    /// Opens and listens; a unix socket replaces a stale one (left by a master that was
    /// killed: nothing accepts on it) but never a live one, and is made group-writable, so that
    /// nginx's user (in the socket's group) can connect.
    static func open(_ address: String) throws(Failure) -> Int32 {
        if address.contains("/") { return try openUnix(address) }
        return try openTCP(address)
    }

    private static func openUnix(_ path: String) throws(Failure) -> Int32 {
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: socketAddress.sun_path)
        guard path.utf8.count < capacity else { throw .badAddress(path) }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { bytes in
            for (index, byte) in path.utf8.enumerated() { bytes[index] = byte }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .system(address: path, operation: "create a socket for", code: errno) }
        do {
            try removeStale(path, socketAddress)
        } catch {
            close(fd)
            throw error
        }
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw .system(address: path, operation: "bind", code: code)
        }
        chmod(path, 0o660)
        return try listenOn(fd, path)
    }

    /// Removes the socket file at `path` if nothing accepts on it any more; refuses a live
    /// socket and a file that is not a socket.
    private static func removeStale(_ path: String, _ address: sockaddr_un) throws(Failure) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path: path) }
        // Non-blocking: a live server with a full backlog answers EAGAIN at once.
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard probe >= 0 else { throw .system(address: path, operation: "create a socket for", code: errno) }
        defer { close(probe) }
        var address = address
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        let code = errno
        if connected == 0 || code == EAGAIN { throw .inUse(path: path) }
        guard code == ECONNREFUSED else { throw .system(address: path, operation: "look at the socket", code: code) }
        unlink(path)
    }

    private static func openTCP(_ address: String) throws(Failure) -> Int32 {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw .badAddress(address)
        }
        let host = String(address[..<colon])
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host.isEmpty ? "127.0.0.1" : host, &socketAddress.sin_addr) == 1 else { throw .badAddress(address) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .system(address: address, operation: "create a socket for", code: errno) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw .system(address: address, operation: "bind", code: code)
        }
        return try listenOn(fd, address)
    }

    private static func listenOn(_ fd: Int32, _ address: String) throws(Failure) -> Int32 {
        guard listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw .system(address: address, operation: "listen on", code: code)
        }
        return fd
    }
}
