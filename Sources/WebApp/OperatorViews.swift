import Telemetry

/// What the operator's private routes show: the process running the application provides it
/// (the pool's shared scoreboard, the feedback database, the admin page), and the application
/// decides who may see it. Nil in `WebApplication` when the routes are off (plain CGI and
/// mod_fcgid under Apache, unless enabled).
public protocol OperatorViews: AnyObject {
    /// `/status` in php-fpm's format, or nil where no pool runs (a CGI process answers one
    /// request: it has no pool to report).
    func status(_ format: StatusFormat) -> String?
    /// `/metrics` in Prometheus' text format.
    func metrics() -> String
    /// `/admin/`: the admin page's HTML; throws when the database or the model cannot be read.
    func adminPage() throws -> [UInt8]
}
