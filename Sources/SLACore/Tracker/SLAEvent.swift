// One event slawatch emits, with the fields of domain.md and a deterministic id.

/// An emitted SLA event. Equal inputs give an equal ``eventId``, so consumers can drop repeats.
public struct SLAEvent: Sendable, Equatable {
    /// `<subject type>:<id>:<stage>@<cycle start, UTC>:<type>[:<level>]`, e.g.
    /// `ticket:T1:repair.arrival@20261120T080400Z:sla.overdue`. The cycle is named by its start,
    /// which no late event can change (its ordinal ``cycle`` can).
    public var eventId: String
    public var type: SLAEventType
    public var subject: SubjectID
    public var kind: SubjectKind
    /// Stage id; empty for `sla.linked`.
    public var stage: String
    /// Rule number the stage enforces.
    public var rule: String?
    public var cycle: Int
    public var unit: String?
    public var region: Region?
    public var customerClass: CustomerClass?
    public var agent: String?
    /// When the stage cycle started.
    public var startedAt: Timestamp?
    public var deadline: Timestamp?
    /// When the emitted fact happened in event time (the alarm's due time, the stop's time).
    public var occurredAt: Timestamp
    /// When slawatch noticed it; later than `occurredAt` after downtime or a late event.
    public var detectedAt: Timestamp
    /// Stage time used, for met, missed and stopped.
    public var elapsed: TimeSpan?
    /// Escalation level.
    public var level: String?
    /// Escalation target role.
    public var to: String?
    /// The outage of `sla.linked`, and of the `sla.stopped` and `sla.retracted` a late link causes.
    public var outageId: String?
    /// v1.3, `sla.linked`: the fault ticket already reported that this ticket was linked to.
    public var relatedTicketId: String? = nil
    /// The action that ended the cycle, for met, missed and stopped.
    public var endedBy: LifecycleAction?
    public var policyVersion: String
    /// `sla.unresolved`: a stable code (``UnresolvedReason/Code``); `sla.rescheduled`: what moved
    /// the deadline (`calendar`, `policy`, `policy_and_calendar`, `files`, `event`).
    public var reason: String? = nil
    /// The reason for people.
    public var reasonText: String? = nil
    /// `sla.unresolved`: what is missing (`calendar:2027`, `region`).
    public var missing: String? = nil
    /// `sla.rescheduled`: the deadline published before.
    public var oldDeadline: Timestamp? = nil
    /// `sla.retracted`: the id of the alarm withdrawn.
    public var retractedEventId: String? = nil
    /// Whether the deadline was counted over a provisional calendar year (`calendar_status`).
    public var provisional = false
    /// The calendar's version, on `sla.started` and `sla.rescheduled`.
    public var calendarVersion: String? = nil
    /// A missed notice (a stage counted back from an outage instant): the lead it fell short by
    /// — the whole lead when the outage started unannounced.
    public var shortBy: TimeSpan? = nil
    /// Who answers for the stage (``ChargedParty``): the centre's name or the holding unit.
    public var chargedTo: String? = nil

    /// The deterministic id of an emitted event.
    public static func id(_ subject: SubjectID, stage: String, start: Timestamp?, type: SLAEventType, level: String? = nil) -> String {
        // Written as bytes: every emitted event needs one, on the worker's hot path.
        var b: [UInt8] = []
        b.reserveCapacity(subject.id.utf8.count + stage.utf8.count + 64)
        b.append(contentsOf: subject.type.rawValue.utf8)
        b.append(UInt8(ascii: ":"))
        b.append(contentsOf: subject.id.utf8)
        b.append(UInt8(ascii: ":"))
        b.append(contentsOf: stage.utf8)
        if let start {
            b.append(UInt8(ascii: "@"))
            appendCompact(start, to: &b)
        }
        b.append(UInt8(ascii: ":"))
        b.append(contentsOf: type.rawValue.utf8)
        if let level {
            b.append(UInt8(ascii: ":"))
            b.append(contentsOf: level.utf8)
        }
        return String(decoding: b, as: UTF8.self)
    }

    /// `20261120T080400Z`, with `.250` milliseconds when there are any.
    static func compact(_ t: Timestamp) -> String {
        var b: [UInt8] = []
        appendCompact(t, to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    /// Appends ``compact(_:)``'s text: the UTC RFC 3339 form without its `-` and `:`.
    private static func appendCompact(_ t: Timestamp, to b: inout [UInt8]) {
        RFC3339.write(t, offsetSeconds: 0, separators: false, to: &b)
    }

    /// The event as one JSON object in UTF-8 (a record value), instants at the calendar zone's offset.
    public func json(calendar: BusinessCalendar) -> [UInt8] {
        var j = JSONText()
        j.add("event_id", eventId)
        j.add("type", type.rawValue)
        j.add(subject.type == .ticket ? "ticket_id" : "outage_id", subject.id)
        if subject.type == .ticket, let outageId { j.add("outage_id", outageId) }
        j.add("related_ticket_id", relatedTicketId)
        j.add("kind", kind.rawValue)
        j.add("stage", stage.isEmpty ? nil : stage)
        j.add("rule", rule)
        j.add("cycle", stage.isEmpty ? nil : Int64(cycle))
        j.add("unit", unit)
        j.add("region", region?.rawValue)
        j.add("customer_class", customerClass?.rawValue)
        j.add("agent", agent)
        j.add("charged_to", chargedTo)
        j.add("level", level)
        j.add("to", to)
        j.add("started_at", startedAt, in: calendar)
        j.add("deadline", deadline, in: calendar)
        j.add("occurred_at", occurredAt, in: calendar)
        j.add("detected_at", detectedAt, in: calendar)
        j.add("elapsed_seconds", elapsed.map { Double($0.milliseconds) / 1000 })
        j.add("ended_by", endedBy?.rawValue)
        j.add("short_by_seconds", shortBy.map { Double($0.milliseconds) / 1000 })
        j.add("reason", reason)
        j.add("reason_text", reasonText)
        j.add("missing", missing)
        j.add("old_deadline", oldDeadline, in: calendar)
        j.add("retracted_event_id", retractedEventId)
        j.add("calendar_status", provisional ? "provisional" : nil)
        j.add("calendar_version", calendarVersion)
        j.add("policy_version", policyVersion)
        return j.bytes()
    }
}
