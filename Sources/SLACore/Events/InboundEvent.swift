// Either kind of input event, with the fields every event has.

/// An event slawatch consumes: a ticket event or an outage event.
public enum InboundEvent: Sendable, Equatable {
    case ticket(TicketEvent)
    case outage(OutageEvent)

    /// The event's unique id.
    public var eventId: String {
        switch self { case .ticket(let t): return t.eventId; case .outage(let o): return o.eventId }
    }

    /// The subject the event belongs to.
    public var subject: SubjectID {
        switch self {
        case .ticket(let t): return SubjectID(.ticket, t.ticketId)
        case .outage(let o): return SubjectID(.outage, o.outageId)
        }
    }

    /// The event's kind.
    public var kind: SubjectKind {
        switch self { case .ticket(let t): return t.kind; case .outage(let o): return o.kind }
    }

    /// The event's action.
    public var action: LifecycleAction {
        switch self { case .ticket(let t): return t.action; case .outage(let o): return o.action }
    }

    /// When it happened.
    public var occurredAt: Timestamp {
        switch self { case .ticket(let t): return t.occurredAt; case .outage(let o): return o.occurredAt }
    }
}

/// Identifies one tracked subject: a ticket or an outage by its id.
public struct SubjectID: Hashable, Sendable, CustomStringConvertible {
    /// Ticket or outage.
    public var type: SubjectType
    /// `ticket_id` or `outage_id`.
    public var id: String

    /// Creates a subject id.
    public init(_ type: SubjectType, _ id: String) { self.type = type; self.id = id }

    public var description: String { "\(type.rawValue) \(id)" }
}
