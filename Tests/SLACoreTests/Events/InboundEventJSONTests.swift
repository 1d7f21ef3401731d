import Testing
@testable import SLACore

@Suite struct InboundEventJSONTests {
    @Test func writtenEventsDecodeToThemselves() throws {
        var t = TicketEvent(eventId: "e\"1", ticketId: "T/1", kind: .complaint, action: .callback,
                            occurredAt: RFC3339.parse("2026-11-23T08:00:00.250+08:00")!.0, unit: "单位", agent: "A1")
        t.satisfaction = 4; t.multiUnit = true; t.region = .rural; t.customerClass = .hvDual; t.feeder = "F1"; t.area = "Z"
        var o = OutageEvent(eventId: "o1", outageId: "O1", kind: .planned, action: .registered, occurredAt: RFC3339.parse("2026-11-23T08:00:00+08:00")!.0)
        o.startAt = RFC3339.parse("2026-11-30T08:00:00+08:00")!.0; o.estRestoreAt = RFC3339.parse("2026-11-30T12:00:00+08:00")!.0
        o.feeders = ["F1", "F2"]; o.areas = ["A"]; o.cause = "maintenance"; o.keyCustomers = ["hospital"]; o.unit = "U"
        for e in [InboundEvent.ticket(t), .outage(o)] {
            #expect(try EventDecoder.any(Array(e.json.utf8)) == e)
        }
    }
}
