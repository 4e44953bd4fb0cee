import Support

extension PoolStatus {
    /// The page in `format`: php-fpm's text (aligned `name: value` lines, each worker after a
    /// row of stars) or its JSON (the same names in lower case, times as Unix seconds). The
    /// listen-queue fields are left out, as php-fpm leaves them out where it cannot measure
    /// them (a unix socket).
    public func render(_ format: StatusFormat) -> String {
        format.json ? json(full: format.full) : text(full: format.full)
    }

    private var poolFields: [(name: String, text: String, json: String)] {
        let started = telemetry.startedAt
        return [
            ("pool", Self.poolName, JSONString.quoted(Self.poolName)),
            ("process manager", "static", JSONString.quoted("static")),
            ("start time", CommonLogDate.text(started), String(started)),
            ("start since", String(now - started), String(now - started)),
            ("accepted conn", String(telemetry.accepted), String(telemetry.accepted)),
            ("idle processes", String(idleProcesses), String(idleProcesses)),
            ("active processes", String(activeProcesses), String(activeProcesses)),
            ("total processes", String(processes.count), String(processes.count)),
            ("max active processes", String(maxActiveProcesses), String(maxActiveProcesses)),
            ("max children reached", String(telemetry.maxChildrenReached), String(telemetry.maxChildrenReached)),
            ("slow requests", String(slowRequests), String(slowRequests)),
        ]
    }

    private func fields(of process: ProcessStatus) -> [(name: String, text: String, json: String)] {
        let cpu = Self.twoDecimals(process.lastRequestCPUPercent)
        return [
            ("pid", String(process.pid), String(process.pid)),
            ("state", process.state.rawValue, JSONString.quoted(process.state.rawValue)),
            ("start time", CommonLogDate.text(process.startedAt), String(process.startedAt)),
            ("start since", String(now - process.startedAt), String(now - process.startedAt)),
            ("requests", String(process.requests), String(process.requests)),
            ("request duration", String(process.requestDurationMicroseconds), String(process.requestDurationMicroseconds)),
            ("request method", Self.dash(process.requestMethod), JSONString.quoted(Self.dash(process.requestMethod))),
            ("request URI", Self.dash(process.requestURI), JSONString.quoted(Self.dash(process.requestURI))),
            ("content length", String(process.contentLength), String(process.contentLength)),
            ("user", "-", JSONString.quoted("-")),
            ("script", "-", JSONString.quoted("-")),
            ("last request cpu", cpu, cpu),
            ("last request memory", String(process.lastRequestMemory), String(process.lastRequestMemory)),
        ]
    }

    private func text(full: Bool) -> String {
        var lines = poolFields.map { Self.line($0.name, $0.text) }
        if full {
            for process in processes {
                lines += ["", "************************"] + fields(of: process).map { Self.line($0.name, $0.text) }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func json(full: Bool) -> String {
        var members = poolFields.map { JSONString.quoted($0.name.lowercased()) + ":" + $0.json }
        if full {
            let rows = processes.map { process in
                "{" + fields(of: process).map { JSONString.quoted($0.name.lowercased()) + ":" + $0.json }.joined(separator: ",") + "}"
            }
            members.append("\"processes\":[" + rows.joined(separator: ",") + "]")
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// `name:` padded to php-fpm's column 22, then the value.
    private static func line(_ name: String, _ value: String) -> String {
        let label = name + ":"
        return label + String(repeating: " ", count: max(1, 22 - label.count)) + value
    }

    private static func dash(_ text: String) -> String { text.isEmpty ? "-" : text }

    /// `12.5` as `12.50`, as php-fpm's `%.2f`.
    static func twoDecimals(_ value: Double) -> String {
        guard value.isFinite else { return "0.00" }
        let hundredths = Int64((max(0, value) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
