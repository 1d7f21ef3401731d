import Testing
@testable import SLACore

/// Who answers for a stage (`charged:`): dispatching and notices are the centre's, the rest the
/// holding unit's. Expected parties worked out by hand from the scenario.
@Suite struct ChargedToTests {
    /// A complaint Dept-A got by mistake: returned, re-dispatched to Dept-B, resolved by Dept-B.
    static func misrouted() throws -> TrackerDriver {
        var d = TrackerDriver()
        try d.apply(ticket("C9", .complaint, .created, "2026-11-20T09:00", unit: "Dept-A"))
        try d.apply(ticket("C9", .complaint, .dispatched, "2026-11-20T09:10", unit: "Dept-A"))
        try d.apply(ticket("C9", .complaint, .returned, "2026-11-20T10:00", unit: nil))
        try d.apply(ticket("C9", .complaint, .dispatched, "2026-11-20T10:20", unit: "Dept-B"))
        try d.apply(ticket("C9", .complaint, .resolved, "2026-11-23T15:00", unit: nil))
        return d
    }

    @Test func aRedispatchedComplaintIsChargedToTheDepartmentThatGotIt() throws {
        let d = try Self.misrouted()
        let verdicts = d.events("C9").filter { [.met, .missed].contains($0.type) }
        #expect(verdicts.map { "\($0.stage) \($0.cycle) \($0.type.rawValue) \($0.chargedTo ?? "-")" } == [
            "appeal.dispatch 1 sla.met 95598",
            "appeal.return 1 sla.met Dept-A",
            "appeal.dispatch 2 sla.met 95598",
            "complaint.resolution 1 sla.met Dept-B",
        ])
        // The unit on the event is still the ticket's as of the cycle's start.
        #expect(verdicts.last?.unit == "Dept-A")
        let resolution = try #require(verdicts.last.flatMap(Outcome.init))
        #expect(resolution.chargedTo == "Dept-B" && resolution.key(.unit) == "Dept-B")
        #expect(RollupKey.cells(of: resolution, view: .unit, calendar: Fixtures.calendar).allSatisfy { $0.owner == "Dept-B" })
    }

    @Test func everyEventOfACentreStageNamesTheCentre() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00", unit: "GDS-1", region: .urban))
        d.advance(to: Fixtures.t("2026-11-20T08:20"))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:20", unit: nil))
        try d.apply(ticket("T1", .faultRepair, .arrived, "2026-11-20T09:00", unit: nil))
        let events = d.events("T1")
        #expect(events.filter { $0.stage == "repair.dispatch" }.allSatisfy { $0.chargedTo == "95598" })
        #expect(events.filter { $0.stage == "repair.dispatch" }.map(\.type) == [.started, .warning, .overdue, .escalated, .escalated, .missed])
        #expect(events.filter { $0.stage == "repair.arrival" || $0.stage == "repair.commitment" }.allSatisfy { $0.chargedTo == "GDS-1" })
    }

    @Test func aClosureIsChargedToTheUnitHoldingTheTicket() throws {
        var d = try Self.misrouted()
        let closed = TicketEvent(eventId: "c9-closed", ticketId: "C9", kind: .complaint, action: .closed, occurredAt: Fixtures.t("2026-11-23T16:00"))
        try d.apply(.ticket(closed))
        let o = try #require(Outcome(closure: closed, history: d.tracker.state(of: SubjectID(.ticket, "C9"))))
        #expect(o.unit == "Dept-B" && o.chargedTo == "Dept-B")
    }

    @Test func aClosureThatComesAfterTheTicketIsKeptStillKnowsWhoHeldIt() throws {
        // Read back long after (a backlog, a backfill): the closure is the ticket's last event and
        // retain_after_close (7 d) is long past, so the tracker forgets the ticket in the same step.
        var d = try Self.misrouted()
        let closed = TicketEvent(eventId: "c9-closed", ticketId: "C9", kind: .complaint, action: .closed, occurredAt: Fixtures.t("2026-11-23T16:00"))
        let step = try d.apply(.ticket(closed), at: Fixtures.t("2026-12-30T00:00"))
        #expect(d.tracker.state(of: SubjectID(.ticket, "C9")) == nil, "forgotten at once")
        // The tracker counts the event's outcomes from the history it had, before letting it go.
        let o = try #require(step.outcomes.first { $0.result == .closed })
        #expect(o.unit == "Dept-B" && o.chargedTo == "Dept-B", "the department it was last dispatched to holds it")
        let v = try #require(step.outcomes.first { $0.result == .handled })
        #expect(v.chargedTo == "Dept-B" && v.firstTime == true)
        #expect(Outcome(closure: closed, history: d.tracker.state(of: SubjectID(.ticket, "C9")))?.chargedTo == nil, "what the worker read before")
    }

    @Test func chargedToTravelsInTheJSONAndTheRollupState() throws {
        let d = try Self.misrouted()
        let e = try #require(d.events("C9").last { $0.type == .met })
        let text = String(decoding: e.json(calendar: Fixtures.calendar), as: UTF8.self)
        #expect(text.contains(#""charged_to":"Dept-B""#))
        let o = try #require(Outcome(e))
        let back = try Outcome.decode(o.json(calendar: Fixtures.calendar))
        #expect(back.chargedTo == "Dept-B")
        var book = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(60))
        #expect(book.apply(o, view: .unit, now: o.at) == .applied)
        var restored = RollupBook(calendar: Fixtures.calendar, rule: .standard, retention: .days(60))
        #expect(restored.restore(book.takeChanges().state.compactMap { k, v in v.map { (k, $0) } }).isEmpty)
        // A correction of the restored verdict takes it off Dept-B's cells, where it was counted.
        var voided = o
        voided.outcomeId = o.slot + ":sla.stopped@x"; voided.result = .voided
        #expect(restored.apply(voided, view: .unit, now: o.at) == .corrected)
        let month = try #require(RollupKey.cells(of: o, view: .unit, calendar: Fixtures.calendar).last)
        #expect(month.owner == "Dept-B" && restored.cell(month)?.met == 0 && restored.cell(month)?.voided == 1)
    }
}
