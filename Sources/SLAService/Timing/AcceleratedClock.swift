// A clock that runs faster than real time, for the demo (one real second = one simulated minute).

import SLACore
import SLAKafka

/// Simulated time that starts at `start` and advances `factor` times faster than real time.
public final class AcceleratedClock: SLAClock {
    private let start: Timestamp
    private let factor: Double
    private let realStartNanos: Int64

    /// A clock reading `start` now and running `factor` times as fast as real time (60 = a minute per second).
    public init(start: Timestamp, factor: Double) {
        precondition(factor > 0, "an accelerated clock must move forward")
        self.start = start
        self.factor = factor
        self.realStartNanos = MonotonicClock.nanoseconds()
    }


    public func now() -> Timestamp {
        let realMillis = Double(MonotonicClock.nanoseconds() - realStartNanos) / 1_000_000
        return start.adding(TimeSpan(milliseconds: Int64(realMillis * factor)))
    }

    public func realMilliseconds(until t: Timestamp) -> Int64? {
        // Round up, so the driver never wakes before the simulated deadline.
        Int64((Double(t.milliseconds - now().milliseconds) / factor).rounded(.up))
    }

    public func onJump(_ callback: @escaping @Sendable () -> Void) {}
}
