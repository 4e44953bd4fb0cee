import Glibc

/// Nanoseconds on `CLOCK_MONOTONIC`, one clock for every process on the machine, so a worker's
/// request start and the master's "now" compare directly. Read through the vDSO: no system call.
enum Monotonic {
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    static func nanoseconds(_ seconds: Double) -> Int64 { Int64(seconds * 1e9) }
}
