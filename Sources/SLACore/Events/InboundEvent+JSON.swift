// Writing input events in the v1 contract: for generators, tools and tests.

extension InboundEvent {
    /// The event as v1 JSON, instants at the offset the event carries.
    public var json: String {
        var j = JSONText()
        switch self {
        case .ticket(let t):
            j.add("event_id", t.eventId)
            j.add("ticket_id", t.ticketId)
            j.add("kind", t.kind.rawValue)
            j.add("action", t.action.rawValue)
            j.add("occurred_at", RFC3339.format(t.occurredAt, offsetSeconds: t.offsetSeconds))
            j.add("unit", t.unit)
            j.add("region", t.region?.rawValue)
            j.add("customer_class", t.customerClass?.rawValue)
            j.add("agent", t.agent)
            j.add("feeder", t.feeder)
            j.add("area", t.area)
            j.add("reported_to", t.reportedTo?.rawValue)
            j.add("satisfaction", t.satisfaction.map(Int64.init))
            j.add("multi_unit", t.multiUnit)
            j.add("related_ticket_id", t.relatedTicketId)
        case .outage(let o):
            j.add("event_id", o.eventId)
            j.add("outage_id", o.outageId)
            j.add("kind", o.kind.rawValue)
            j.add("action", o.action.rawValue)
            j.add("occurred_at", RFC3339.format(o.occurredAt, offsetSeconds: o.offsetSeconds))
            j.add("start_at", o.startAt.map { RFC3339.format($0, offsetSeconds: o.offsetSeconds) })
            j.add("est_restore_at", o.estRestoreAt.map { RFC3339.format($0, offsetSeconds: o.offsetSeconds) })
            j.add("feeders", o.feeders)
            j.add("areas", o.areas)
            j.add("cause", o.cause)
            j.add("key_customers", o.keyCustomers)
            j.add("unit", o.unit)
        }
        return j.text
    }
}
