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

    /// The policy stage indices of the subject's running clocks: cycles whose `sla.started` was
    /// emitted and whose verdict was not (one entry per cycle). For the active-clocks gauge.
    public var runningStages: [Int] {
        marks.compactMap { m in
            m.bits & StageMark.started != 0 && m.bits & (StageMark.met | StageMark.missed | StageMark.stopped) == 0 ? m.stage : nil
        }
    }

    /// Whether an event with this hash was applied already.
    func contains(eventHash h: UInt64) -> Bool { facts.contains { $0.eventHash == h } }

    /// Inserts a fact at its place in history order.
    mutating func insert(_ f: Fact) {
        var i = facts.count
        while i > 0, Fact.precedes(f, facts[i - 1]) { i -= 1 }
        facts.insert(f, at: i)
    }

    /// The flags of a cycle (zero when none were set).
    func bits(stage: Int, start: Timestamp) -> UInt32 {
        marks.first { $0.stage == stage && $0.start == start.milliseconds }?.bits ?? 0
    }

    /// The verdict flag and end last emitted for a cycle.
    func verdict(stage: Int, start: Timestamp) -> (bits: UInt32, end: Int64?) {
        let m = marks.first { $0.stage == stage && $0.start == start.milliseconds }
        return ((m?.bits ?? 0) & (StageMark.met | StageMark.missed | StageMark.stopped), m?.verdictEnd)
    }

    /// Records the verdict emitted for a cycle, replacing an earlier one.
    mutating func setVerdict(_ flag: UInt32, end: Timestamp, stage: Int, start: Timestamp) {
        set(0, stage: stage, start: start)
        let i = marks.firstIndex { $0.stage == stage && $0.start == start.milliseconds }!
        marks[i].bits = marks[i].bits & ~(StageMark.met | StageMark.missed | StageMark.stopped) | flag
        marks[i].verdictEnd = end.milliseconds
    }

    /// Sets flags of a cycle.
    mutating func set(_ bits: UInt32, stage: Int, start: Timestamp) {
        if let i = marks.firstIndex(where: { $0.stage == stage && $0.start == start.milliseconds }) {
            marks[i].bits |= bits
        } else {
            marks.append(StageMark(stage: stage, start: start.milliseconds, bits: bits))
        }
    }
}
