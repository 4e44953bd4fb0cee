extension PoolStateMachine {
    /// The pool's state for SIGUSR1, in the master's log: a `status …` line and a
    /// `worker …` line for each worker (`details` by PID, for those with a slot), and the
    /// oldest feedback watermark a ready worker holds, for the feedback figures.
    public func statusReport(now: Int64, masterPID: Int32, details: [Int32: WorkerDetails]) -> (
        head: String, workers: [String], oldestWatermark: Int64?
    ) {
        var lines: [String] = []
        var oldestWatermark: Int64?
        for (pid, worker) in workers.sorted(by: { ($0.value.generation, $0.key) < ($1.value.generation, $1.key) }) {
            guard let detail = details[pid] else {
                let state = worker.stopSentAt == nil ? "handed-over" : "stopping"
                lines.append("worker pid=\(pid) generation=\(worker.generation) state=\(state) served=? request_age=? watermark=?")
                continue
            }
            let reading = detail.reading
            let state =
                worker.stopSentAt != nil
                ? "stopping"
                : worker.stoppedAt != nil
                    ? "stopped"
                    : !reading.ready
                        ? "starting"
                        : reading.requestStartedAt == nil ? "idle" : "busy"
            let age = reading.requestStartedAt.map { Self.seconds(now - $0) + "s" } ?? "-"
            if reading.ready { oldestWatermark = min(oldestWatermark ?? detail.watermark, detail.watermark) }
            let problem = detail.note.map { " problem=\"\(String($0.map { $0 == "\"" ? "'" : $0 }))\"" } ?? ""
            lines.append(
                "worker pid=\(pid) generation=\(worker.generation) state=\(state) served=\(detail.served) request_age=\(age) "
                    + "watermark=\(reading.ready ? String(detail.watermark) : "-")\(problem)"
            )
        }
        let failing = failedStartsInARow[serving, default: 0]
        let retry =
            failing > 0 ? " starting=retrying failed_in_a_row=\(failing) next_start_in=\(Self.seconds(max(0, (nextStartDue ?? now) - now)))s" : ""
        let head =
            "status pid=\(masterPID) workers=\(settings.workers) generation=\(serving) reloading=\(incoming != nil ? "yes" : "no") "
            + "restarts=\(counters.restarts) crashes=\(counters.crashes) failed_starts=\(counters.failedStarts) killed=\(counters.killed) "
            + "recycled=\(counters.recycled) timeouts=\(counters.timeouts)\(retry)"
        return (head, lines, oldestWatermark)
    }
}
