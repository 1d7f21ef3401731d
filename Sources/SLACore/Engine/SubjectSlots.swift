// Maps tracked subjects to the small integer payloads a timing wheel carries.


/// The table behind "one timer per subject": each armed subject holds a slot number (the
/// wheel's payload must be plain bits) and the handle of its timer.
///
/// Used with a bare ``TimingWheel`` by replay and with a ``WheelDriver`` by the worker.
public struct SubjectSlots {
    private var armed: [SubjectID: (slot: UInt32, handle: TimerHandle)] = [:]
    private var slots: [SubjectID?] = []
    private var freeSlots: [UInt32] = []

    /// An empty table.
    public init() {}

    /// Subjects armed.
    public var count: Int { armed.count }

    /// Bytes held by the slot tables (not counting the dictionary of armed subjects).
    public var memoryFootprint: Int { slots.capacity * MemoryLayout<SubjectID?>.stride + freeSlots.capacity * 4 }

    /// Makes room for `n` armed subjects in all, so a restore of many does not grow the
    /// tables step by step (each growth rehashes every entry and touches fresh pages).
    public mutating func reserveCapacity(_ n: Int) {
        armed.reserveCapacity(n)
        slots.reserveCapacity(n)
    }

    /// Arms `s`: cancels its previous timer through `cancel`, then schedules the new one through
    /// `schedule`, which receives the slot number to use as payload.
    public mutating func arm(_ s: SubjectID, cancel: (TimerHandle) -> Void, schedule: (UInt32) -> TimerHandle) {
        // One lookup whether it is armed or new: the entry is changed where it lies (finding a
        // new subject and then inserting it hashed the id twice, a tenth of a restore's adoption).
        Self.arm(s, &armed[s, default: (Self.unarmed, TimerHandle(index: 0, generation: 0))],
                 slots: &slots, freeSlots: &freeSlots, cancel: cancel, schedule: schedule)
    }

    /// The slot number of an entry just made, before it is given one.
    private static let unarmed = UInt32.max

    private static func arm(_ s: SubjectID, _ entry: inout (slot: UInt32, handle: TimerHandle),
                            slots: inout [SubjectID?], freeSlots: inout [UInt32],
                            cancel: (TimerHandle) -> Void, schedule: (UInt32) -> TimerHandle) {
        if entry.slot != unarmed {
            cancel(entry.handle)
        } else if let free = freeSlots.popLast() {
            entry.slot = free
            slots[Int(free)] = s
        } else {
            // The last number marks a new entry; no worker holds four billion subjects.
            precondition(slots.count < Int(unarmed), "more subjects armed than slot numbers")
            entry.slot = UInt32(slots.count)
            slots.append(s)
        }
        entry.handle = schedule(entry.slot)
    }

    /// Disarms `s`, handing its timer to `cancel`; false when it was not armed.
    @discardableResult
    public mutating func disarm(_ s: SubjectID, cancel: (TimerHandle) -> Void) -> Bool {
        guard let old = armed.removeValue(forKey: s) else { return false }
        cancel(old.handle)
        release(old.slot)
        return true
    }

    /// The subject whose timer carrying `slot` fired; the slot is free again.
    public mutating func fired(_ slot: UInt32) -> SubjectID? {
        guard Int(slot) < slots.count, let s = slots[Int(slot)] else { return nil }
        armed[s] = nil
        release(slot)
        return s
    }

    private mutating func release(_ slot: UInt32) {
        slots[Int(slot)] = nil
        freeSlots.append(slot)
    }
}
