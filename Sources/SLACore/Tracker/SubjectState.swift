// Everything the tracker keeps about one ticket or outage.

/// The tracked state of one subject: its history, what was emitted, its outage link and timer.
public struct SubjectState: Sendable, Equatable {
    /// The subject's kind, fixed by its first event.
    public var kind: SubjectKind
    /// Applied events in history order (``Fact/precedes(_:_:)``).
    public internal(set) var facts: [Fact] = []
    /// The outage a fault ticket was linked to at its creation (rule 1).
    public internal(set) var linkedOutage: String?
    /// Whether `sla.linked` was emitted.
    var linkEmitted = false
    /// Emission flags per stage cycle.
    var marks: [StageMark] = []
    /// When the subject's one timer is due, as last scheduled.
    public internal(set) var scheduledAt: Timestamp?

    /// A state with no history.
    public init(kind: SubjectKind) { self.kind = kind }

    /// Whether an event with this hash was applied already.
    func contains(eventHash h: UInt64) -> Bool { facts.contains { $0.eventHash == h } }

    /// Inserts a fact at its place in history order.
    mutating func insert(_ f: Fact) {
        var i = facts.count
        while i > 0, Fact.precedes(f, facts[i - 1]) { i -= 1 }
        facts.insert(f, at: i)
    }

    /// The flags of a cycle (zero when none were set).
    func bits(stage: Int, cycle: Int) -> UInt32 {
        marks.first { $0.stage == stage && $0.cycle == cycle }?.bits ?? 0
    }

    /// Sets flags of a cycle.
    mutating func set(_ bits: UInt32, stage: Int, cycle: Int) {
        if let i = marks.firstIndex(where: { $0.stage == stage && $0.cycle == cycle }) {
            marks[i].bits |= bits
        } else {
            marks.append(StageMark(stage: stage, cycle: cycle, bits: bits))
        }
    }
}
