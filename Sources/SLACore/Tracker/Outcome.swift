// What assessment (考核) counts: how each stage ended, and each customer callback.

/// One assessed result, the input of rollups and scorecards: a stage cycle that ended in time
/// (`met`), late (`missed`) or without a verdict (`voided`), a deadline that passed (`overdue`),
/// a fault ticket linked to a known outage (`linked`), a ticket closed (`closed`) or a customer
/// callback with its satisfaction (`callback`) — the last two give the callback rate (回访率).
public struct Outcome: Sendable, Equatable {
    /// What happened.
    public enum Result: String, Sendable, CaseIterable {
        case met, missed, voided, overdue, linked, closed, callback
        /// An overdue withdrawn (`sla.retracted`): it takes the overdue's place and counts nothing.
        case retracted
        /// v1.3 volumes, every ticket kind: received (受理, `created`), handled (处理, the latest
        /// `resolved` or `closed`), answered (答复, a `callback` or `answered`) — once per ticket —
        /// and each reopening and send-back (返单).
        case received, handled, answered, reopened
        case sentBack = "sent_back"
    }

    /// Deterministic: the id of the SLA event it comes from, or `ticket:<id>:closure:<event_id>`
    /// for closures and callbacks.
    public var outcomeId: String
    public var result: Result
    public var subject: SubjectID
    public var kind: SubjectKind
    /// The stage id; `link` for `linked`, `closure` for closures and callbacks.
    public var stage: String
    public var unit: String?
    public var agent: String?
    public var region: Region?
    public var customerClass: CustomerClass?
    public var deadline: Timestamp?
    /// When it happened: the cycle's end, the deadline, the link or the callback.
    public var at: Timestamp
    /// Stage time used (met and missed).
    public var elapsed: TimeSpan?
    /// Customer satisfaction 1...5 (callbacks).
    public var satisfaction: Int?
    /// `handled`: whether the ticket was resolved without a send-back or reopening before (一次解决).
    public var firstTime: Bool? = nil
    public var outageId: String?
    /// Who answers for it (``ChargedParty``): rollups and scorecards count it there. Nil on an
    /// outcome of contract v1.2 or before, which counts at its ``unit``.
    public var chargedTo: String? = nil
    /// v1.3: the stage cycle's start and ordinal (verdicts, overdues and their withdrawals).
    public var startedAt: Timestamp? = nil
    public var cycle: Int? = nil
    /// v1.5, a ticket's `handled` and `answered` volumes: when the ticket was received (its
    /// `created`). Rates over the tickets received (处理率, 答复率) are shares of one cohort,
    /// so these two count in the windows of the receipt, not of the handling (see ``windowAt``).
    public var receivedAt: Timestamp? = nil

    /// The instant whose windows the outcome counts in: the receipt for a volume that has
    /// one (a ticket received on the 30th and handled on the 1st is a handled ticket of the
    /// 30th; counted on the 1st, the 1st's 处理率 went over 100 % and the 30th's under), else `at`.
    public var windowAt: Timestamp { receivedAt ?? at }

    /// The outcome an emitted SLA event stands for, if it is one.
    public init?(_ e: SLAEvent) {
        let result: Result
        switch e.type {
        case .met: result = .met
        case .missed: result = .missed
        case .overdue: result = .overdue
        case .linked: result = .linked
        case .stopped: result = .voided
        case .retracted:
            // Only a withdrawn overdue changes a figure (超时 counts); warnings and escalations count nothing.
            guard let r = e.retractedEventId, Self.alarmType(of: r) == .overdue else { return nil }
            result = .retracted
        case .started, .warning, .escalated, .unresolved, .rescheduled: return nil
        }
        // A withdrawn overdue is counted where the overdue was: at the deadline it was placed on.
        let at = result == .retracted ? max(e.oldDeadline ?? e.occurredAt, e.startedAt ?? e.occurredAt) : e.occurredAt
        self.init(outcomeId: e.eventId, result: result, subject: e.subject, kind: e.kind, stage: e.stage.isEmpty ? "link" : e.stage,
                  unit: e.unit, agent: e.agent, region: e.region, customerClass: e.customerClass, deadline: e.deadline,
                  at: at, elapsed: e.elapsed, satisfaction: nil, outageId: e.outageId)
        chargedTo = e.chargedTo
        if !e.stage.isEmpty { startedAt = e.startedAt; cycle = e.cycle }
    }

    /// The outcome of a ticket's closure, or of a customer callback (rule 7) that carries a
    /// satisfaction. Unit, agent, region and class come from the ticket's history where the
    /// event lacks them.
    public init?(closure t: TicketEvent, history: SubjectState?) {
        let result: Result
        switch t.action {
        case .closed: result = .closed
        // v1.3: a callback without a score counts for the callback rate, not for satisfaction.
        case .callback: result = .callback
        default: return nil
        }
        self.init(t, result: result, stage: "closure", history: history)
        satisfaction = t.satisfaction
    }

    /// An outcome of a ticket event itself (`<stage>` `closure` or `volume`): attributes from the
    /// event, else from the ticket's history; charged to the unit holding the ticket then.
    private init(_ t: TicketEvent, result: Result, stage: String, history: SubjectState?) {
        let known = history.map { SubjectAttributes.of($0.facts, count: $0.facts.count) }
        self.init(outcomeId: "ticket:\(t.ticketId):\(stage):\(t.eventId)", result: result, subject: SubjectID(.ticket, t.ticketId),
                  kind: t.kind, stage: stage, unit: t.unit ?? known?.unit, agent: t.agent ?? known?.agent,
                  region: t.region ?? known?.region, customerClass: t.customerClass ?? known?.customerClass,
                  deadline: nil, at: t.occurredAt, elapsed: nil, satisfaction: nil, outageId: nil)
        chargedTo = history.flatMap { SubjectHolder.unit(of: $0.facts, until: t.occurredAt) } ?? unit
    }

    /// The volume outcome of a ticket event (every kind, timed or not), if it counts one. Unit,
    /// agent, region and class come from the ticket's history where the event lacks them; it is
    /// counted for the unit holding the ticket.
    public static func volume(_ t: TicketEvent, history: SubjectState?) -> Outcome? {
        let result: Result
        switch t.action {
        case .created: result = .received
        case .resolved, .closed: result = .handled
        case .callback, .answered: result = .answered
        case .reopened: result = .reopened
        case .sentBack: result = .sentBack
        default: return nil
        }
        var o = Outcome(t, result: result, stage: "volume", history: history)
        if result == .handled || result == .answered {
            o.receivedAt = history?.facts.first { $0.action == .created }?.time
        }
        if result == .handled {
            let facts = history?.facts ?? SubjectHistory.Facts()
            o.firstTime = !facts.contains { ($0.action == .sentBack || $0.action == .reopened) && $0.time <= t.occurredAt }
        }
        return o
    }

    /// Outcomes that can be corrected (a stage cycle's verdict) share this slot: the id up to
    /// the verdict type. Every other outcome is its own slot.
    public var slot: String {
        if result == .received || result == .handled || result == .answered {
            // Once per ticket; the latest handling stands (a resolution after a reopening is not first-time).
            return "\(subject.type.rawValue):\(subject.id):volume:\(result.rawValue)"
        }
        if result == .closed || result == .callback {
            // v1.3: a ticket counts once as closed and once as called back (回访率 is per ticket);
            // the latest closure or callback stands.
            return "\(subject.type.rawValue):\(subject.id):closure:\(result.rawValue)"
        }
        guard let r = outcomeId.lastOccurrence(of: ":sla.") else { return outcomeId }
        switch result {
        case .met, .missed, .voided: return String(outcomeId[..<r])
        case .overdue, .retracted:
            // An overdue, its withdrawal (`…~retracted`) and its firing again after a move
            // (`…#r1`) are one slot: the id of the first overdue, which is what older states hold.
            let tail = outcomeId[r...]
            let cut = tail.firstIndex { $0 == "#" || $0 == "~" } ?? outcomeId.endIndex
            return String(outcomeId[..<cut])
        default: return outcomeId
        }
    }

    /// The type named in an emitted event id (`…:sla.overdue#r1` → overdue).
    static func alarmType(of eventId: String) -> SLAEventType? {
        guard let r = eventId.lastOccurrence(of: ":sla.") else { return nil }
        let name = eventId[eventId.index(after: r)...].prefix { $0 != ":" && $0 != "#" && $0 != "~" && $0 != "@" }
        return SLAEventType(rawValue: String(name))
    }

    /// An outcome from its parts.
    public init(outcomeId: String, result: Result, subject: SubjectID, kind: SubjectKind, stage: String, unit: String?, agent: String?,
                region: Region?, customerClass: CustomerClass?, deadline: Timestamp?, at: Timestamp, elapsed: TimeSpan?,
                satisfaction: Int?, outageId: String?) {
        self.outcomeId = outcomeId; self.result = result; self.subject = subject; self.kind = kind; self.stage = stage
        self.unit = unit; self.agent = agent; self.region = region; self.customerClass = customerClass
        self.deadline = deadline; self.at = at; self.elapsed = elapsed; self.satisfaction = satisfaction; self.outageId = outageId
    }

    /// The stage cycle it belongs to (verdicts, overdues and withdrawals of one cycle share it):
    /// its id up to the type; nil for outcomes of no cycle (links, closures, callbacks).
    public var cycleKey: String? {
        switch result {
        case .met, .missed, .voided, .overdue, .retracted:
            return outcomeId.lastOccurrence(of: ":sla.").map { String(outcomeId[..<$0]) }
        default: return nil
        }
    }

    /// The record's key on the outcomes topic for a view: the unit assessed, or the agent.
    public func key(_ view: RollupView) -> String { (view == .unit ? assessed : agent) ?? "" }

    /// The rollup views it counts in: its unit's always, its agent's when it names one.
    public var views: [RollupView] { agent == nil ? [.unit] : [.unit, .agent] }

    /// The unit the unit view counts it for: who is charged, else (contract v1.2) its unit.
    public var assessed: String? { chargedTo ?? unit }

    /// The outcome as one JSON object in UTF-8 (a record value), instants at the calendar zone's offset.
    public func json(calendar: BusinessCalendar) -> [UInt8] {
        var j = JSONText()
        j.add("outcome_id", outcomeId)
        j.add("result", result.rawValue)
        j.add(subject.type == .ticket ? "ticket_id" : "outage_id", subject.id)
        if subject.type == .ticket { j.add("outage_id", outageId) }
        j.add("kind", kind.rawValue)
        j.add("stage", stage)
        j.add("unit", unit)
        j.add("agent", agent)
        j.add("charged_to", chargedTo)
        j.add("started_at", startedAt, in: calendar)
        j.add("cycle", cycle.map(Int64.init))
        j.add("region", region?.rawValue)
        j.add("customer_class", customerClass?.rawValue)
        j.add("deadline", deadline, in: calendar)
        j.add("at", at, in: calendar)
        j.add("elapsed_seconds", elapsed.map { Double($0.milliseconds) / 1000 })
        j.add("satisfaction", satisfaction.map(Int64.init))
        j.add("first_time", firstTime)
        j.add("received_at", receivedAt, in: calendar)
        return j.bytes()
    }
}
