// A reference to one scheduled timer, safe to use after the timer fired or was cancelled.

/// Names a timer in a ``TimingWheel``. A handle whose timer has fired or been cancelled is
/// stale: cancelling it is a no-op, even after its slot was reused (the generation differs).
public struct TimerHandle: Hashable, Sendable, BitwiseCopyable {
    let index: UInt32
    let generation: UInt32
}

/// A timer returned by ``TimingWheel/advance(to:into:)``.
public struct ExpiredTimer<Payload: BitwiseCopyable> {
    /// The handle it was scheduled under (now stale).
    public let handle: TimerHandle
    /// Its deadline, in the wheel's milliseconds.
    public let deadline: Int64
    /// What the scheduler attached.
    public let payload: Payload
}

extension ExpiredTimer: Sendable where Payload: Sendable {}
extension ExpiredTimer: Equatable where Payload: Equatable {}
