// One outage event of the v1 contract (topic `95598.outages`).

/// An outage event: registration, announcement, start, update, restoration or cancellation.
public struct OutageEvent: Sendable, Equatable {
    /// Unique per event; a repeat is ignored.
    public var eventId: String
    /// The outage the event belongs to (the Kafka key).
    public var outageId: String
    /// The outage kind (an outage-side ``SubjectKind``).
    public var kind: SubjectKind
    /// What happened.
    public var action: LifecycleAction
    /// When it happened, in event time.
    public var occurredAt: Timestamp
    /// UTC offset the producer wrote `occurred_at` with, in seconds.
    public var offsetSeconds: Int
    /// When the outage starts (or started).
    public var startAt: Timestamp?
    /// When supply is expected back.
    public var estRestoreAt: Timestamp?
    /// Lines or feeders affected.
    public var feeders: [String]
    /// Area codes affected.
    public var areas: [String]
    /// Why the supply is off.
    public var cause: String?
    /// Key customers affected.
    public var keyCustomers: [String]
    /// Responsible unit.
    public var unit: String?

    /// Creates an outage event; optional fields default to absent or empty.
    public init(eventId: String, outageId: String, kind: SubjectKind, action: LifecycleAction,
                occurredAt: Timestamp, offsetSeconds: Int = 8 * 3600, startAt: Timestamp? = nil,
                estRestoreAt: Timestamp? = nil, feeders: [String] = [], areas: [String] = [],
                cause: String? = nil, keyCustomers: [String] = [], unit: String? = nil) {
        self.eventId = eventId; self.outageId = outageId; self.kind = kind; self.action = action
        self.occurredAt = occurredAt; self.offsetSeconds = offsetSeconds; self.startAt = startAt
        self.estRestoreAt = estRestoreAt; self.feeders = feeders; self.areas = areas
        self.cause = cause; self.keyCustomers = keyCustomers; self.unit = unit
    }
}
