// The wall clock, for production.

import Glibc
import SLACore

/// Real time (`CLOCK_REALTIME`), in milliseconds.
public final class SystemClock: SLAClock {
    /// Creates the wall clock.
    public init() {}

    /// The current wall-clock time.
    public static func read() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }

    public func now() -> Timestamp { Self.read() }
    public func realMilliseconds(until t: Timestamp) -> Int64? { t.milliseconds - Self.read().milliseconds }
    public func onJump(_ callback: @escaping @Sendable () -> Void) {}  // the wall clock never jumps by hand
}
