/// The pool's state as php-fpm's status page gives it (`pm.status_path`): the pool's figures
/// and, with `full`, a row for each worker. In php-fpm's format and field names, so that the
/// tools which read php-fpm (php-fpm_exporter, netdata, telegraf) read this pool unchanged.
public struct PoolStatus: Sendable, Equatable {
    /// The pool's name (php-fpm's `[www]`).
    public static let poolName = "movieclassifier"

    public var telemetry: PoolTelemetry
    /// The pool's workers, in slot order.
    public var processes: [ProcessStatus]
    /// When the page is made (Unix seconds).
    public var now: Int64

    public init(telemetry: PoolTelemetry, processes: [ProcessStatus], now: Int64) {
        self.telemetry = telemetry
        self.processes = processes
        self.now = now
    }

    public var idleProcesses: Int { processes.count { $0.state == .idle } }
    public var activeProcesses: Int { processes.count { $0.state == .running } }
    /// The most workers busy at once: the master's ticks (every 100 ms) see most bursts, and
    /// the busy workers of this very moment (this request's among them) count too.
    public var maxActiveProcesses: Int64 { max(telemetry.maxActive, Int64(activeProcesses)) }
    /// Requests whose worker the master killed past `--request-timeout`: this pool's slow
    /// requests (php-fpm counts those past `request_slowlog_timeout`, which it logs).
    public var slowRequests: Int64 { telemetry.restarts(.timeout) }
}
