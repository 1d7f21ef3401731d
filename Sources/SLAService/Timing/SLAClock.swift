// Where the driver's "now" comes from: the system clock, an accelerated clock, or a manual one.

import SLACore
import SLAKafka

/// A source of "now" for the timer driver.
public protocol SLAClock: AnyObject, Sendable {
    /// The clock's current reading.
    func now() -> Timestamp
    /// Real milliseconds until the clock reads `t` (≤ 0 when it already does); nil for a clock
    /// that moves only by hand, whose jumps are announced through ``onJump(_:)``.
    func realMilliseconds(until t: Timestamp) -> Int64?
    /// Registers a callback run after each manual jump.
    func onJump(_ callback: @escaping @Sendable () -> Void)
    /// Real elapsed milliseconds since a fixed point (see the default below).
    func elapsedMilliseconds() -> Int64
}

extension SLAClock {
    /// Real elapsed milliseconds since a fixed point, for pacing and measuring (the catch-up
    /// gate, checkpoint intervals, durations): never the SLA time, which a test or the demo
    /// moves by hand or speeds up, and never the wall clock, which NTP may step back.
    public func elapsedMilliseconds() -> Int64 { MonotonicClock.milliseconds() }
}
