// The part of a published SLA event the ops board needs, read back from the output topics.

/// One SLA event as the board reads it from the events and escalations topics: which cycle
/// (subject, stage, start), what happened to it, and what the desk is shown.
public struct BoardEvent: Sendable, Equatable {
    public var eventId: String
    public var type: SLAEventType
    public var subjectType: SubjectType
    public var subjectId: String
    public var kind: String
    public var stage: String
    public var cycle: Int
    public var unit: String?
    public var chargedTo: String?
    /// The cycle's start (for `sla.unresolved`, which has none, its `occurred_at`).
    public var startedAt: Timestamp
    public var deadline: Timestamp?
    public var occurredAt: Timestamp
    public var level: String?
    /// `sla.retracted`: the alarm withdrawn.
    public var retractedEventId: String?
    /// `sla.stopped`, `sla.unresolved`, `sla.rescheduled`: the stable code.
    public var reason: String?
    /// `sla.unresolved`: what is missing (`calendar:2027`, `region` …).
    public var missing: String?

    public init(eventId: String, type: SLAEventType, subjectType: SubjectType = .ticket, subjectId: String, kind: String, stage: String,
                cycle: Int = 1, unit: String? = nil, chargedTo: String? = nil, startedAt: Timestamp, deadline: Timestamp? = nil,
                occurredAt: Timestamp, level: String? = nil, retractedEventId: String? = nil, reason: String? = nil, missing: String? = nil) {
        self.eventId = eventId; self.type = type; self.subjectType = subjectType; self.subjectId = subjectId; self.kind = kind
        self.stage = stage; self.cycle = cycle; self.unit = unit; self.chargedTo = chargedTo; self.startedAt = startedAt
        self.deadline = deadline; self.occurredAt = occurredAt; self.level = level; self.retractedEventId = retractedEventId
        self.reason = reason; self.missing = missing
    }

    /// Reads an SLA event (contract v1.x, docs/events.md) from a record's bytes. Unknown fields
    /// are ignored, so later additive versions still read.
    public static func decode(_ bytes: [UInt8]) throws(EventRejection) -> BoardEvent {
        let o = try EventDecoder.object(bytes)
        // Output instants are the daemon's own and may lie anywhere a deadline can.
        let r = FieldReader(o, instants: EventLimits.representable)
        let type: SLAEventType = try r.requiredEnum("type", allowed: SLAEventType.allCases)
        let ticket = try r.optionalString("ticket_id", max: EventLimits.subjectId)
        let outage = try r.optionalString("outage_id", max: EventLimits.subjectId)
        // A ticket's events may name an outage (sla.linked, a late link): the ticket is the subject.
        guard let id = ticket ?? outage else { throw EventRejection(field: "ticket_id", "missing (and no outage_id either)") }
        let occurredAt = try r.requiredTime("occurred_at").0
        return BoardEvent(
            eventId: try r.requiredString("event_id", max: 4 * EventLimits.eventId),
            type: type, subjectType: ticket != nil ? .ticket : .outage, subjectId: id,
            kind: try r.optionalString("kind", max: 64) ?? "",
            stage: try r.optionalString("stage", max: 128) ?? "",
            cycle: try r.optionalInt("cycle", range: 1...1_000_000) ?? 1,
            unit: try r.optionalString("unit", max: EventLimits.name),
            chargedTo: try r.optionalString("charged_to", max: EventLimits.name),
            startedAt: try r.optionalTime("started_at") ?? occurredAt,
            deadline: try r.optionalTime("deadline"),
            occurredAt: occurredAt,
            level: try r.optionalString("level", max: 64),
            retractedEventId: try r.optionalString("retracted_event_id", max: 4 * EventLimits.eventId),
            reason: try r.optionalString("reason", max: 128),
            missing: try r.optionalString("missing", max: 256))
    }
}
