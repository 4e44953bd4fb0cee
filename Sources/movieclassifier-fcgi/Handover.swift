import Glibc

/// What a master passes to the new image of itself that it executes on SIGHUP: the listening
/// socket (kept open across exec, its number in an environment variable) and the PIDs of its
/// workers, which stay its children since exec keeps the PID. The new image starts its own
/// workers from the new binary, with the settings and model read afresh, and stops the old
/// ones once the new ones accept.
struct Handover {
    static let socketVariable = "MOVIECLASSIFIER_FCGI_SOCKET_FD"
    static let workersVariable = "MOVIECLASSIFIER_FCGI_OLD_WORKERS"

    let socket: Int32
    let workers: [pid_t]

    /// The handover this process was started with, if any. The variables are removed from the
    /// environment, so that nothing started later sees them.
    static func received() -> Handover? {
        guard let socketText = getenv(socketVariable), let socket = Int32(String(cString: socketText)) else { return nil }
        let workers = getenv(workersVariable).map { String(cString: $0).split(separator: ",").compactMap { pid_t($0) } } ?? []
        unsetenv(socketVariable)
        unsetenv(workersVariable)
        return Handover(socket: socket, workers: workers)
    }

    /// Replaces this process with `arguments[0]` (looked up in `PATH` when it has no slash, as
    /// the shell did), run with `arguments`. Returns only if that failed, with the reason.
    func execute(_ arguments: [String]) -> String {
        setenv(Self.socketVariable, String(socket), 1)
        setenv(Self.workersVariable, workers.map(String.init).joined(separator: ","), 1)
        let argv = arguments.map { strdup($0) } + [nil]
        execvp(arguments[0], argv)
        let reason = "cannot execute \(arguments[0]): \(String(cString: strerror(errno)))"
        argv.forEach { free($0) }
        unsetenv(Self.socketVariable)
        unsetenv(Self.workersVariable)
        return reason
    }
}
