// Decodes v1 ticket and outage events from message bytes, naming the field of every rejection.

/// Decodes the v1 event contract from JSON bytes.
///
/// Unknown fields never cause a rejection. Every rejection is an ``EventRejection`` naming the
/// field and the reason; no input makes the decoder crash.
public enum EventDecoder {
    /// Largest message accepted; the contract's events are a few hundred bytes.
    public static let maxBytes = 1 << 20

    /// Decodes a ticket event (a message of `95598.tickets`).
    public static func ticket(_ bytes: [UInt8]) throws(EventRejection) -> TicketEvent {
        try ticket(from: object(bytes))
    }

    /// Decodes an outage event (a message of `95598.outages`).
    public static func outage(_ bytes: [UInt8]) throws(EventRejection) -> OutageEvent {
        try outage(from: object(bytes))
    }

    /// Decodes either kind, telling them apart by `outage_id` / `ticket_id` (used by replay,
    /// whose JSONL input mixes both).
    public static func any(_ bytes: [UInt8]) throws(EventRejection) -> InboundEvent {
        let o = try object(bytes)
        if o["outage_id"] != nil && o["ticket_id"] == nil { return .outage(try outage(from: o)) }
        if o["ticket_id"] == nil { throw EventRejection(field: "ticket_id", "missing (and no outage_id either)") }
        return .ticket(try ticket(from: o))
    }

    static func object(_ bytes: [UInt8]) throws(EventRejection) -> JSONMembers {
        guard bytes.count <= maxBytes else { throw EventRejection(field: nil, "message larger than \(maxBytes) bytes") }
        let document: JSONDocument
        do { document = try JSONParser.parseDocument(bytes) } catch {
            // A parsed document is valid UTF-8 already (the parser checks every string, and
            // accepts only ASCII outside them), so the full UTF-8 pass runs only on failure,
            // to give the better reason.
            guard String(validating: bytes, as: UTF8.self) != nil else { throw EventRejection(field: nil, "not UTF-8 text") }
            throw EventRejection(field: nil, "not JSON: \(error)")
        }
        switch document {
        case .object(let o): return o
        case .other(let value): throw EventRejection(field: nil, "not a JSON object but \(value.sketch)")
        }
    }

    /// The fields every event has, in the order a producer's mistakes are most usefully reported.
    private struct Envelope {
        var eventId: String, subjectId: String, kind: SubjectKind, action: LifecycleAction
        var occurredAt: Timestamp, offsetSeconds: Int

        init(_ r: FieldReader, _ subject: SubjectType) throws(EventRejection) {
            eventId = try r.requiredString("event_id", max: EventLimits.eventId)
            subjectId = try r.requiredString(subject == .ticket ? "ticket_id" : "outage_id", max: EventLimits.subjectId)
            kind = try r.requiredEnum("kind", allowed: SubjectKind.kinds(of: subject))
            action = try r.requiredEnum("action", allowed: LifecycleAction.actions(of: subject))
            (occurredAt, offsetSeconds) = try r.requiredTime("occurred_at")
        }
    }

    static func ticket(from o: JSONMembers) throws(EventRejection) -> TicketEvent {
        let r = FieldReader(o)
        let h = try Envelope(r, .ticket)
        let action = h.action
        var e = TicketEvent(eventId: h.eventId, ticketId: h.subjectId, kind: h.kind, action: action,
                            occurredAt: h.occurredAt, offsetSeconds: h.offsetSeconds)
        e.unit = try r.optionalString("unit", max: EventLimits.name)
        e.region = try r.optionalEnum("region", allowed: Region.allCases)
        e.customerClass = try r.optionalEnum("customer_class", allowed: CustomerClass.allCases)
        e.agent = try r.optionalString("agent", max: EventLimits.name)
        e.feeder = try r.optionalString("feeder", max: EventLimits.name)
        e.area = try r.optionalString("area", max: EventLimits.name)
        e.reportedTo = try r.optionalEnum("reported_to", allowed: ReportedTo.allCases)
        e.satisfaction = try r.optionalInt("satisfaction", range: 1...5)
        e.multiUnit = try r.optionalBool("multi_unit")
        e.relatedTicketId = try r.optionalString("related_ticket_id", max: EventLimits.subjectId)
        if e.relatedTicketId == e.ticketId {
            throw EventRejection(field: "related_ticket_id", "names the ticket itself")
        }
        if action == .onsiteReported && e.reportedTo == nil {
            throw EventRejection(field: "reported_to", "required for action onsite_reported (county or city)")
        }
        return e
    }

    static func outage(from o: JSONMembers) throws(EventRejection) -> OutageEvent {
        let r = FieldReader(o)
        let h = try Envelope(r, .outage)
        let action = h.action
        var e = OutageEvent(eventId: h.eventId, outageId: h.subjectId, kind: h.kind, action: action,
                            occurredAt: h.occurredAt, offsetSeconds: h.offsetSeconds)
        e.startAt = try r.optionalTime("start_at")
        e.estRestoreAt = try r.optionalTime("est_restore_at")
        e.feeders = try r.stringArray("feeders")
        e.areas = try r.stringArray("areas")
        e.cause = try r.optionalString("cause", max: EventLimits.freeText)
        e.keyCustomers = try r.stringArray("key_customers")
        e.unit = try r.optionalString("unit", max: EventLimits.name)
        if action == .registered {
            // Rule 13: an outage is registered with its start, restoration estimate, place and cause.
            if e.startAt == nil { throw EventRejection(field: "start_at", "required for action registered (rule 13)") }
            if e.estRestoreAt == nil { throw EventRejection(field: "est_restore_at", "required for action registered (rule 13)") }
            if e.cause == nil { throw EventRejection(field: "cause", "required for action registered (rule 13)") }
            if e.feeders.isEmpty && e.areas.isEmpty {
                throw EventRejection(field: "feeders", "feeders or areas required for action registered (rule 13)")
            }
        }
        if let s = e.startAt, let r = e.estRestoreAt, r < s {
            throw EventRejection(field: "est_restore_at", "before start_at")
        }
        return e
    }
}
