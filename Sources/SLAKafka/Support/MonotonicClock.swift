// The one reader of CLOCK_MONOTONIC in slawatch: real elapsed time, immune to clock steps.

import Glibc

/// Real elapsed time for pacing, bounding waits and measuring (the catch-up gate, the
/// accelerated clock, librdkafka waits): never wall-clock time, which NTP may step back.
/// It lives here, the lowest module with I/O, so the Kafka clients and the service share it.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot).
    public static func nanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Milliseconds since the same point.
    public static func milliseconds() -> Int64 { nanoseconds() / 1_000_000 }
}
