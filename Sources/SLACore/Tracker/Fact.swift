// One applied input event, reduced to what the SLA clocks need.

/// An input event as the tracker keeps it in a subject's history.
public struct Fact: Sendable, Equatable {
    /// FNV-1a hash of the `event_id`, for dropping repeats.
    public var eventHash: UInt64
    /// `occurred_at`.
    public var time: Timestamp
    /// The action.
    public var action: LifecycleAction
    /// Attributes the event carried (nil where it carried none).
    public var unit: String?
    public var region: Region?
    public var customerClass: CustomerClass?
    public var agent: String?
    public var reportedTo: ReportedTo?
    public var multiUnit: Bool?
    public var satisfaction: Int?
    public var feeder: String?
    public var area: String?
    public var startAt: Timestamp?
    public var estRestoreAt: Timestamp?

    /// A fact with no attributes.
    public init(eventHash: UInt64, time: Timestamp, action: LifecycleAction) {
        self.eventHash = eventHash; self.time = time; self.action = action
    }

    /// The fact an input event contributes.
    public init(_ event: InboundEvent) {
        self.init(eventHash: EventHash.of(event.eventId), time: event.occurredAt, action: event.action)
        switch event {
        case .ticket(let t):
            unit = t.unit; region = t.region; customerClass = t.customerClass; agent = t.agent
            reportedTo = t.reportedTo; multiUnit = t.multiUnit; satisfaction = t.satisfaction
            feeder = t.feeder; area = t.area
        case .outage(let o):
            unit = o.unit; startAt = o.startAt; estRestoreAt = o.estRestoreAt
        }
    }

    /// The outage instant the fact carries, if it carries it.
    func instant(_ i: OutageInstant) -> Timestamp? {
        switch i {
        case .startAt: return startAt
        case .estRestoreAt: return estRestoreAt
        }
    }

    /// History order: by time, then lifecycle order, then hash, so any arrival order gives one history.
    public static func precedes(_ a: Fact, _ b: Fact) -> Bool {
        if a.time != b.time { return a.time < b.time }
        if a.action != b.action { return a.action < b.action }
        return a.eventHash < b.eventHash
    }
}

/// Stable 64-bit FNV-1a, used where a hash must be the same in every process (stored state).
public enum EventHash {
    /// FNV-1a of the UTF-8 bytes of `s`.
    public static func of(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
