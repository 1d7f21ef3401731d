// Where the driver's "now" comes from: the system clock, an accelerated clock, or a manual one.

import SLACore

/// A source of "now" for the timer driver.
public protocol SLAClock: AnyObject, Sendable {
    /// The clock's current reading.
    func now() -> Timestamp
    /// Real milliseconds until the clock reads `t` (≤ 0 when it already does); nil for a clock
    /// that moves only by hand, whose jumps are announced through ``onJump(_:)``.
    func realMilliseconds(until t: Timestamp) -> Int64?
    /// Registers a callback run after each manual jump.
    func onJump(_ callback: @escaping @Sendable () -> Void)
}
