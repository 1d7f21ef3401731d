// One ticket event of the v1 contract (topic `95598.tickets`).

/// A ticket event: something that happened to a 95598 ticket.
public struct TicketEvent: Sendable, Equatable {
    /// Unique per event; a repeat is ignored.
    public var eventId: String
    /// The ticket the event belongs to (the Kafka key).
    public var ticketId: String
    /// The ticket kind (a ticket-side ``SubjectKind``).
    public var kind: SubjectKind
    /// What happened.
    public var action: LifecycleAction
    /// When it happened, in event time.
    public var occurredAt: Timestamp
    /// UTC offset the producer wrote `occurred_at` with, in seconds.
    public var offsetSeconds: Int
    /// Responsible unit (供电所 / department).
    public var unit: String?
    /// Urban, rural or remote (fault repair).
    public var region: Region?
    /// Customer class (new connection).
    public var customerClass: CustomerClass?
    /// Call-taker or handler id.
    public var agent: String?
    /// Line or feeder, for outage matching.
    public var feeder: String?
    /// Area code, for outage matching.
    public var area: String?
    /// County or city desk (`onsite_reported`).
    public var reportedTo: ReportedTo?
    /// Customer satisfaction 1...5 (`callback`).
    public var satisfaction: Int?
    /// The complaint needs several units, or its owner cannot be determined (rule 11).
    public var multiUnit: Bool?
    /// v1.3: the fault ticket already reported that this one is about (rule 1, 已报修的故障):
    /// the call-taker linked them, and this ticket gets no repair clock of its own.
    public var relatedTicketId: String? = nil

    /// Creates a ticket event; optional fields default to absent.
    public init(eventId: String, ticketId: String, kind: SubjectKind, action: LifecycleAction,
                occurredAt: Timestamp, offsetSeconds: Int = 8 * 3600, unit: String? = nil,
                region: Region? = nil, customerClass: CustomerClass? = nil, agent: String? = nil,
                feeder: String? = nil, area: String? = nil, reportedTo: ReportedTo? = nil,
                satisfaction: Int? = nil, multiUnit: Bool? = nil) {
        self.eventId = eventId; self.ticketId = ticketId; self.kind = kind; self.action = action
        self.occurredAt = occurredAt; self.offsetSeconds = offsetSeconds; self.unit = unit
        self.region = region; self.customerClass = customerClass; self.agent = agent
        self.feeder = feeder; self.area = area; self.reportedTo = reportedTo
        self.satisfaction = satisfaction; self.multiUnit = multiUnit
    }
}
