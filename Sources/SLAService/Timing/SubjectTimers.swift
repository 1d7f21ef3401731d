// One timer per ticket or outage, on a timing wheel: what the tracker's schedule actions need.

import SLACore

/// Keeps each subject's single timer on a ``TimingWheel``, replacing it when re-armed.
///
/// The wheel's payload is a small slot number (timer payloads must be plain bits); the slot
/// table maps it back to the subject.
public struct SubjectTimers {
    private var wheel: TimingWheel<UInt32>
    private var armed: [SubjectID: (slot: UInt32, handle: TimerHandle)] = [:]
    private var slots: [SubjectID?] = []
    private var freeSlots: [UInt32] = []

    /// An empty table whose time starts at `now`.
    public init(now: Timestamp, capacity: Int = 0) {
        wheel = TimingWheel(now: now.milliseconds, capacity: capacity)
    }

    /// Timers armed.
    public var count: Int { wheel.count }

    /// Bytes held by the wheel and the tables.
    public var memoryFootprint: Int {
        wheel.memoryFootprint + slots.capacity * MemoryLayout<SubjectID?>.stride + freeSlots.capacity * 4
    }

    /// The instant the wheel next needs to run (see ``TimingWheel/nextWakeup()``).
    public func nextWakeup() -> Timestamp? { wheel.nextWakeup().map(Timestamp.init(milliseconds:)) }

    /// Arms (or re-arms) a subject's timer.
    public mutating func schedule(_ s: SubjectID, at t: Timestamp) {
        if let old = armed[s] {
            wheel.cancel(old.handle)
            armed[s] = (old.slot, wheel.schedule(at: t.milliseconds, old.slot))
            return
        }
        let slot: UInt32
        if let free = freeSlots.popLast() { slot = free; slots[Int(slot)] = s } else { slot = UInt32(slots.count); slots.append(s) }
        armed[s] = (slot, wheel.schedule(at: t.milliseconds, slot))
    }

    /// Disarms a subject's timer, if armed.
    public mutating func cancel(_ s: SubjectID) {
        guard let old = armed.removeValue(forKey: s) else { return }
        wheel.cancel(old.handle)
        release(old.slot)
    }

    /// Moves time to `t` and returns the subjects whose timers fell due, in deadline order.
    public mutating func advance(to t: Timestamp) -> [(subject: SubjectID, due: Timestamp)] {
        wheel.advance(to: t.milliseconds).map { e in
            let s = slots[Int(e.payload)]!
            armed[s] = nil
            release(e.payload)
            return (s, Timestamp(milliseconds: e.deadline))
        }
    }

    private mutating func release(_ slot: UInt32) {
        slots[Int(slot)] = nil
        freeSlots.append(slot)
    }
}
