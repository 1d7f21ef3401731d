// Maps tracked subjects to the small integer payloads a timing wheel carries.

/// The table behind "one timer per subject": each armed subject holds a slot number (the
/// wheel's payload must be plain bits) and the handle of its timer.
///
/// Used with a bare ``TimingWheel`` by replay and with a ``WheelDriver`` by the worker.
public struct SubjectSlots {
    // A subject's slot is its entry number in the table, so the slot that fires finds its
    // subject without an array of its own (the table before kept a dictionary of armed
    // subjects and that array: about 110 bytes a subject at 1 000 000, now about 40).
    private var armed = SubjectTable<TimerHandle>()

    /// An empty table.
    public init() {}

    /// Subjects armed.
    public var count: Int { armed.count }

    /// Bytes held by the table: its entries, free numbers and index, as allocated.
    public var memoryFootprint: Int { armed.memoryFootprint }

    /// Makes room for `n` armed subjects in all, so a restore of many does not grow the
    /// tables step by step (each growth rehashes every entry and touches fresh pages).
    public mutating func reserveCapacity(_ n: Int) { armed.reserveCapacity(n) }

    /// Arms `s`: cancels its previous timer through `cancel`, then schedules the new one through
    /// `schedule`, which receives the slot number to use as payload.
    public mutating func arm(_ s: SubjectID, cancel: (TimerHandle) -> Void, schedule: (UInt32) -> TimerHandle) {
        // One lookup whether it is armed or new (finding a new subject and then inserting it
        // hashed the id twice, a tenth of a restore's adoption).
        let (slot, isNew) = armed.findOrInsert(s, Self.unscheduled)
        if !isNew, let old = armed.entry(slot)?.value { cancel(old) }
        armed.setValue(schedule(slot), of: slot)
    }

    /// The handle of an entry just made, until its timer is scheduled: a handle no wheel gives.
    private static let unscheduled = TimerHandle(index: .max, generation: .max)

    /// Disarms `s`, handing its timer to `cancel`; false when it was not armed.
    @discardableResult
    public mutating func disarm(_ s: SubjectID, cancel: (TimerHandle) -> Void) -> Bool {
        guard let old = armed.removeValue(forKey: s) else { return false }
        cancel(old)
        return true
    }

    /// The subject whose timer carrying `slot` fired; the slot is free again.
    public mutating func fired(_ slot: UInt32) -> SubjectID? { armed.remove(number: slot)?.id }
}
