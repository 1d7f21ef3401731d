// One timer per ticket or outage, on a timing wheel: what the tracker's schedule actions need.


/// Keeps each subject's single timer on a ``TimingWheel``, replacing it when re-armed
/// (the offline twin of the worker's ``WheelDriver`` use).
public struct SubjectTimers {
    private var wheel: TimingWheel<UInt32>
    private var slots = SubjectSlots()

    /// An empty table whose time starts at `now`.
    public init(now: Timestamp, capacity: Int = 0) {
        wheel = TimingWheel(now: now.milliseconds, capacity: capacity)
    }

    /// Timers armed.
    public var count: Int { wheel.count }

    /// Bytes held by the wheel and the tables.
    public var memoryFootprint: Int { wheel.memoryFootprint + slots.memoryFootprint }

    /// The instant the wheel next needs to run (see ``TimingWheel/nextWakeup()``).
    public func nextWakeup() -> Timestamp? { wheel.nextWakeup().map(Timestamp.init(milliseconds:)) }

    /// Arms (or re-arms) a subject's timer.
    public mutating func schedule(_ s: SubjectID, at t: Timestamp) {
        slots.arm(s, cancel: { wheel.cancel($0) }, schedule: { wheel.schedule(at: t.milliseconds, $0) })
    }

    /// Disarms a subject's timer, if armed.
    public mutating func cancel(_ s: SubjectID) {
        slots.disarm(s) { wheel.cancel($0) }
    }

    /// Moves time to `t` and returns the subjects whose timers fell due, in deadline order.
    public mutating func advance(to t: Timestamp) -> [(subject: SubjectID, due: Timestamp)] {
        wheel.advance(to: t.milliseconds).compactMap { e in
            slots.fired(e.payload).map { ($0, Timestamp(milliseconds: e.deadline)) }
        }
    }
}
