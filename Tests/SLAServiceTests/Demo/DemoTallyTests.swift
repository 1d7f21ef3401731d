import SLAService
import Testing

@Suite struct DemoTallyTests {
    @Test func countsPerStageOnceEachAndComputesRates() {
        var t = DemoTally()
        t.add(eventId: "a1", type: "sla.started", stage: "repair.arrival", level: nil)
        t.add(eventId: "a2", type: "sla.started", stage: "repair.arrival", level: nil)
        t.add(eventId: "a3", type: "sla.started", stage: "repair.arrival", level: nil)
        t.add(eventId: "a4", type: "sla.overdue", stage: "repair.arrival", level: nil)
        t.add(eventId: "a5", type: "sla.escalated", stage: "repair.arrival", level: "urge")
        t.add(eventId: "a6", type: "sla.met", stage: "repair.arrival", level: nil)
        t.add(eventId: "a7", type: "sla.missed", stage: "repair.arrival", level: nil)
        t.add(eventId: "a7", type: "sla.missed", stage: "repair.arrival", level: nil)  // a repeat
        t.add(eventId: "d1", type: "sla.started", stage: "repair.dispatch", level: nil)
        t.add(eventId: "d2", type: "sla.met", stage: "repair.dispatch", level: nil)
        let arrival = t.stages["repair.arrival"]!
        #expect(arrival.active == 1 && arrival.overdue == 1 && arrival.onTimeRate == 0.5)
        #expect(t.stages["repair.dispatch"]!.onTimeRate == 1)
        #expect(t.escalations == ["urge": 1])
        #expect(t.repeats == 1 && t.distinct == 9)
        #expect(t.total.met == 2 && t.total.missed == 1)
        let table = DemoView.table(t, header: "h")
        #expect(table.contains("repair.arrival") && table.contains("50.0%") && table.contains("escalations: urge 1"))
        #expect(DemoView.line(t, header: "h").contains("overdue 1 | escalations 1 | on time 66.7%"))
    }
}
