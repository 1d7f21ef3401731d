// One SLA stage of the policy: what starts and stops its clock, and its limit and ladder.

/// One timed stage of the policy, e.g. "fault repair: crew arrives within 45/90/120 minutes".
public struct StageRule: Sendable, Hashable {
    /// Stable id used in emitted events and event ids, e.g. `repair.arrival`.
    public var id: String
    /// The number of the rule in the service rules that this stage enforces.
    public var rule: String
    /// One line for operators.
    public var title: String
    /// Ticket or outage.
    public var subject: SubjectType
    /// Kinds the stage applies to.
    public var kinds: Set<SubjectKind>
    /// Actions that start a cycle of the stage (when no cycle is running).
    public var start: Set<LifecycleAction>
    /// Events that end a running cycle with a verdict (met or missed).
    public var stop: [StopCondition]
    /// Actions that end a running cycle without a verdict (`sla.stopped`).
    public var void: Set<LifecycleAction>
    /// The deadline rule.
    public var limit: StageLimit
    /// Share of the time after which `sla.warning` is emitted; nil for none.
    public var warnAt: Double?
    /// Steps relative to the deadline.
    public var escalation: [EscalationStep]
    /// Raised at once when the ticket is flagged (rule 11).
    public var immediate: ImmediateEscalation?
    /// Fault tickets linked to a known outage get no cycle of this stage (rule 1).
    public var skipIfLinked: Bool
    /// False for stages that are only judged when they stop (a misrouted ticket's return
    /// time, rules 5 and 9): no warning, overdue or escalation alarms.
    public var alarms: Bool
    /// Who its verdicts and alarms are charged to.
    public var charged: ChargedParty = .holder
    /// Actions that end a running cycle `missed` whatever its deadline (`missed_on`): an outage
    /// that starts before it was announced gave no notice at all (rule 14).
    public var missedOn: Set<LifecycleAction> = []
    /// An outage instant at which a running cycle ends `missed` (`missed_at`): the planned start
    /// passing without a notice, even when no `started` event comes.
    public var missedAt: OutageInstant? = nil

    /// Whether an event with this action (and desk) stops the stage.
    public func stops(_ action: LifecycleAction, reportedTo: ReportedTo?) -> Bool {
        stop.contains { $0.action == action && ($0.reportedTo == nil || $0.reportedTo == reportedTo) }
    }
}
