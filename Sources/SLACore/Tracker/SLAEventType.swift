// The `type` of an emitted event.

/// The `type` field of events slawatch emits.
public enum SLAEventType: String, Sendable, Hashable, CaseIterable {
    /// A stage began; carries its deadline.
    case started = "sla.started"
    /// The configured share of the time is used.
    case warning = "sla.warning"
    /// The deadline passed without the stopping event (超时).
    case overdue = "sla.overdue"
    /// A step of the escalation ladder, or an immediate escalation.
    case escalated = "sla.escalated"
    /// The stage ended in time.
    case met = "sla.met"
    /// The stage ended late.
    case missed = "sla.missed"
    /// The stage ended without a verdict (cancelled, closed, returned before arrival …).
    case stopped = "sla.stopped"
    /// A fault ticket was linked to a known outage and gets no dispatch or arrival clock.
    case linked = "sla.linked"
    /// A stage that should run cannot be timed (calendar not covering the year, attribute
    /// missing); it starts from its original time once the piece arrives.
    case unresolved = "sla.unresolved"
    /// A running stage's deadline moved (a new calendar or policy, or an event that moves it).
    case rescheduled = "sla.rescheduled"
    /// An alarm already published is withdrawn: the new deadline makes it premature.
    case retracted = "sla.retracted"

    /// Lifecycle events go to the events topic; alarms (warning, overdue, escalated) to the ops desks.
    public var isAlarm: Bool { self == .warning || self == .overdue || self == .escalated }

    /// What the ops desks act on — alarms, their withdrawals and the clocks that cannot run —
    /// goes to the escalations topic; the rest to the events topic.
    public var forOpsDesk: Bool { isAlarm || self == .unresolved || self == .retracted }
}
