// Everything the tracker keeps about one ticket or outage.

/// The tracked state of one subject: its history, what was emitted, its outage link and timer.
public struct SubjectState: Sendable, Equatable {
    /// The applied events and the cycles' records, in one allocation.
    private var history = SubjectHistory()
    /// ``FilesIdentity/tag`` of the policy and calendar it was last evaluated under (0: never).
    public internal(set) var filesTag: UInt64 = 0
    /// Links and refusal: most subjects have neither, so they live out of line (``OutOfLine``).
    private var rare = OutOfLine<Rare>()
    /// When the subject's one timer is due, as last scheduled.
    public internal(set) var scheduledAt: Timestamp?
    /// The subject's kind, fixed by its first event.
    public var kind: SubjectKind

    /// Applied events in history order (``Fact/precedes(_:_:)``).
    public var facts: SubjectHistory.Facts { history.facts }
    /// Emission flags per stage cycle.
    var marks: SubjectHistory.Marks { history.marks }

    /// The fields few subjects set. The stored order above keeps the state at 40 bytes: the
    /// subjects table holds one per subject.
    private struct Rare: Equatable, Sendable {
        var linkedOutage: String?
        var linkedTicket: String?
        var linkedAt: Timestamp?
        var linkEmitted = false
        var refusal: SubjectRefusal?
    }

    /// Changes the rare fields, dropping their box once they are all empty again.
    private mutating func changeRare(_ change: (inout Rare) -> Void) {
        var r = rare.value ?? Rare()
        change(&r)
        rare.value = r == Rare() ? nil : r
    }

    /// The outage a fault ticket was linked to at its creation (rule 1).
    public internal(set) var linkedOutage: String? {
        get { rare.value?.linkedOutage }
        set { changeRare { $0.linkedOutage = newValue } }
    }
    /// v1.3: the fault ticket already reported that this one was linked to (`related_ticket_id`).
    public internal(set) var linkedTicket: String? {
        get { rare.value?.linkedTicket }
        set { changeRare { $0.linkedTicket = newValue } }
    }
    /// When the link was made in event time: the ticket's creation, or the first event of an
    /// outage registered after it (its clocks stop then). Nil in states before format 6.
    public internal(set) var linkedAt: Timestamp? {
        get { rare.value?.linkedAt }
        set { changeRare { $0.linkedAt = newValue } }
    }
    /// Whether `sla.linked` was emitted.
    var linkEmitted: Bool {
        get { rare.value?.linkEmitted ?? false }
        set { changeRare { $0.linkEmitted = newValue } }
    }
    /// Set once the subject was refused (``TrackerLimits``); it then keeps no history.
    public internal(set) var refusal: SubjectRefusal? {
        get { rare.value?.refusal }
        set { changeRare { $0.refusal = newValue } }
    }

    /// Whether the ticket is linked to a known outage or to a fault already reported (rule 1).
    public var isLinked: Bool { linkedOutage != nil || linkedTicket != nil }

    /// A state with no history.
    public init(kind: SubjectKind) { self.kind = kind }

    /// The policy stage indices of the subject's running clocks: cycles whose `sla.started` was
    /// emitted and whose verdict was not (one entry per cycle). For the active-clocks gauge.
    public var runningStages: [Int] {
        marks.compactMap { m in
            m.bits & StageMark.started != 0 && m.bits & (StageMark.met | StageMark.missed | StageMark.stopped) == 0 ? m.stage : nil
        }
    }

    /// Why each of the subject's waiting cycles cannot be timed (one entry per cycle), for the
    /// unresolved-clocks gauge.
    public var waitingReasons: [UnresolvedReason.Code] { marks.compactMap(\.waiting) }

    /// A cycle's publication record: the stored one, or a fresh one.
    func mark(stage: Int, start: Timestamp) -> StageMark {
        marks.first { $0.stage == stage && $0.start == start.milliseconds } ?? StageMark(stage: stage, start: start.milliseconds, bits: 0)
    }

    /// Stores a cycle's publication record (an empty fresh one is not stored).
    mutating func update(_ m: StageMark) {
        if let i = marks.firstIndex(where: { $0.stage == m.stage && $0.start == m.start }) {
            history.setMark(m, at: i)
        } else if m != StageMark(stage: m.stage, start: m.start, bits: 0) {
            history.appendMark(m)
        }
    }

    /// Replaces every cycle record.
    mutating func setMarks(_ ms: [StageMark]) { history.replaceMarks(with: ms) }

    /// Whether an event with this hash was applied already.
    func contains(eventHash h: UInt64) -> Bool { facts.contains { $0.eventHash == h } }

    /// Inserts a fact at its place in history order.
    mutating func insert(_ f: Fact) {
        var i = facts.count
        while i > 0, Fact.precedes(f, facts[i - 1]) { i -= 1 }
        history.insertFact(f, at: i)
    }

    /// The same state under another policy: cycle records follow their stage by id (stage
    /// indices are positions in the policy), and records of stages the policy no longer has go.
    func remapped(from old: Policy, to new: Policy) -> SubjectState {
        var out = self
        var index: [String: Int] = [:]
        for (i, st) in new.stages.enumerated() { index[st.id] = i }
        out.setMarks(marks.compactMap { m in
            guard let i = index[old.stages[m.stage].id] else { return nil }
            var n = m
            n.stage = i
            return n
        })
        return out
    }
}
