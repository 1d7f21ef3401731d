// Timing, CPU and memory readings for the benchmarks.

import Glibc

/// Shared by the benchmarks.
public enum Measure {
    /// Monotonic seconds.
    public static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Process CPU time (user + system) in seconds.
    public static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    /// Resident set size in bytes, from /proc/self/statm.
    public static func residentBytes() -> Int {
        guard let f = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(f) }
        var size = 0, resident = 0
        _ = withUnsafeMutablePointer(to: &size) { s in withUnsafeMutablePointer(to: &resident) { r in
            withVaList([s, r]) { vfscanf(f, "%ld %ld", $0) }
        } }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Runs `body` and returns its wall time in seconds.
    public static func time(_ body: () -> Void) -> Double {
        let t0 = seconds()
        body()
        return seconds() - t0
    }
}

