// A reference to one scheduled timer, safe to use after the timer fired or was cancelled.

/// Names a timer in a ``TimingWheel``. A handle whose timer has fired or been cancelled is
/// stale: cancelling it is a no-op, even after its slot was reused (the generation differs).
public struct TimerHandle: Hashable, Sendable, BitwiseCopyable {
    @usableFromInline let index: UInt32
    @usableFromInline let generation: UInt32

    @inlinable init(index: UInt32, generation: UInt32) { self.index = index; self.generation = generation }
}

/// A timer returned by ``TimingWheel/advance(to:into:)``.
public struct ExpiredTimer<Payload: BitwiseCopyable> {
    /// The handle it was scheduled under (now stale).
    public let handle: TimerHandle
    /// Its deadline, in the wheel's milliseconds.
    public let deadline: Int64
    /// What the scheduler attached.
    public let payload: Payload

    @inlinable init(handle: TimerHandle, deadline: Int64, payload: Payload) {
        self.handle = handle; self.deadline = deadline; self.payload = payload
    }
}

extension ExpiredTimer: Sendable where Payload: Sendable {}
extension ExpiredTimer: Equatable where Payload: Equatable {}
