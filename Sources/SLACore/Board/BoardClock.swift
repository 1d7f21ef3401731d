// One stage cycle as the ops board shows it.

/// A stage cycle the board knows: what it times, its deadline, where it stands, and the alarms
/// raised for it that were not withdrawn.
public struct BoardClock: Sendable, Equatable {
    /// Where a cycle stands.
    public enum State: Sendable, Equatable {
        /// Running: started, no verdict yet.
        case open
        /// Cannot be timed yet (`sla.unresolved`): the reason code and what is missing.
        case unresolved(reason: String, missing: String?)
        /// Ended: `sla.met`, `sla.missed` or `sla.stopped` (the last one given is the truth).
        case ended(SLAEventType, at: Timestamp)
        /// Only alarms seen so far: the escalations topic ran ahead of the events topic.
        case alarmsOnly
    }

    /// A standing alarm: its type, its ladder level (escalations) and when it was due.
    public struct Alarm: Sendable, Equatable {
        public var type: SLAEventType
        public var level: String?
        public var at: Timestamp
    }

    public var subjectType: SubjectType
    public var subjectId: String
    public var kind: String
    public var stage: String
    public var cycle: Int
    public var unit: String?
    public var chargedTo: String?
    public var startedAt: Timestamp
    public var deadline: Timestamp?
    public var state: State
    /// Standing alarms by event id.
    public var alarms: [String: Alarm] = [:]

    /// The party the desk sees it under: who is charged, else the ticket's unit.
    public var party: String { chargedTo ?? unit ?? "-" }

    /// The highest ladder step reached: the standing escalation due last.
    public var ladderLevel: String? {
        alarms.values.filter { $0.type == .escalated }.max { ($0.at, $0.level ?? "") < ($1.at, $1.level ?? "") }?.level
    }

    /// Whether an `sla.overdue` stands for it.
    public var overdueRaised: Bool { alarms.values.contains { $0.type == .overdue } }
}
