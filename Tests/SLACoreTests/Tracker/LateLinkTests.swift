import Testing
@testable import SLACore

/// Rule 1 whatever the arrival order: an outage entered after the fault tickets it covers links
/// them, stops their repair clocks and withdraws their alarms. Expected values worked out by hand.
@Suite struct LateLinkTests {
    /// T1 reported at 08:10 on F5 (urban); nobody dispatches it.
    static func undispatched() throws -> TrackerDriver {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:10", region: .urban, feeder: "F5"))
        d.advance(to: Fixtures.t("2026-11-20T08:30"))
        return d
    }

    @Test func anOutageEnteredLateLinksTheTicketAndWithdrawsItsAlarms() throws {
        var d = try Self.undispatched()
        // Deadline 08:15: warning at 80 % (08:14), overdue and urge at 08:15, supervisor at 08:25.
        #expect(d.lines("T1") == ["sla.started repair.dispatch 1", "sla.warning repair.dispatch 1", "sla.overdue repair.dispatch 1",
                                  "sla.escalated repair.dispatch 1 urge", "sla.escalated repair.dispatch 1 supervisor"])
        let raised = d.events("T1").filter(\.type.isAlarm).map(\.eventId)
        let before = d.emitted.count
        // The fault outage on F5 that started at 07:30 is entered at 08:30.
        try d.apply(outage("O5", .fault, .started, "2026-11-20T07:30", estRestoreAt: "2026-11-20T12:00", feeders: ["F5"]), at: Fixtures.t("2026-11-20T08:30"))
        let after = Array(d.emitted[before...]).filter { $0.subject.id == "T1" }
        let linked = try #require(after.first { $0.type == .linked })
        #expect(linked.outageId == "O5" && linked.occurredAt == Fixtures.t("2026-11-20T08:10"))
        #expect(Set(after.filter { $0.type == .retracted }.compactMap(\.retractedEventId)) == Set(raised))
        #expect(after.filter { $0.type == .retracted }.allSatisfy { $0.reason == "linked" && $0.outageId == "O5" })
        let stopped = try #require(after.first { $0.type == .stopped })
        #expect(stopped.stage == "repair.dispatch" && stopped.reason == "linked" && stopped.outageId == "O5")
        // Known to the centre (07:30) before the ticket (08:10): the clock never should have run.
        #expect(stopped.occurredAt == Fixtures.t("2026-11-20T08:10") && stopped.elapsed == .zero)
        // No clock of the ticket is left running and nothing more falls due.
        #expect(d.tracker.state(of: SubjectID(.ticket, "T1"))?.runningStages == [])
        let count = d.emitted.count
        d.advance(to: Fixtures.t("2026-11-20T11:00"))
        #expect(d.emitted.count == count)
        // The overdue's withdrawal takes its slot in the rollups (超时 no longer counted).
        let overdueEvent = try #require(d.events("T1").first { $0.type == .overdue })
        let overdue = try #require(Outcome(overdueEvent))
        let withdrawnEvent = try #require(after.first { $0.retractedEventId == overdue.outcomeId })
        let withdrawn = try #require(Outcome(withdrawnEvent))
        #expect(withdrawn.result == .retracted && withdrawn.slot == overdue.slot && withdrawn.key(.unit) == overdue.key(.unit))
    }

    @Test func aVerdictAlreadyGivenIsVoidedNotMissed() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T2", .faultRepair, .created, "2026-11-20T08:10", region: .urban, area: "A7"))
        try d.apply(ticket("T2", .faultRepair, .dispatched, "2026-11-20T08:20"))
        let missedEvent = try #require(d.events("T2").first { $0.type == .missed })
        let missed = try #require(Outcome(missedEvent))
        #expect(missed.stage == "repair.dispatch")
        // An outage registered at 09:00 for A7, started 07:50: T2 is linked from 09:00.
        try d.apply(outage("O7", .temporary, .registered, "2026-11-20T09:00", startAt: "2026-11-20T07:50", estRestoreAt: "2026-11-20T13:00", areas: ["A7"]))
        let stops = d.events("T2").filter { $0.type == .stopped }
        #expect(stops.map(\.stage).sorted() == ["repair.arrival", "repair.dispatch"])
        let dispatchEvent = try #require(stops.first { $0.stage == "repair.dispatch" })
        let dispatch = try #require(Outcome(dispatchEvent))
        #expect(dispatch.result == .voided && dispatch.slot == missed.slot && dispatch.key(.unit) == missed.key(.unit))
        // Linked at 09:00: the arrival clock (started 08:20) stops then.
        #expect(stops.first { $0.stage == "repair.arrival" }?.occurredAt == Fixtures.t("2026-11-20T09:00"))
        #expect(d.events("T2").first { $0.type == .linked }?.occurredAt == Fixtures.t("2026-11-20T09:00"))
    }

    @Test func onlyTicketsTheOutageCoversAreTouched() throws {
        var d = TrackerDriver()
        try d.apply(ticket("IN", .faultRepair, .created, "2026-11-20T08:10", region: .urban, feeder: "F5"))
        try d.apply(ticket("OTHER", .faultRepair, .created, "2026-11-20T08:10", region: .urban, feeder: "F6"))
        try d.apply(ticket("BEFORE", .faultRepair, .created, "2026-11-20T07:00", region: .urban, feeder: "F5"))
        try d.apply(outage("O5", .fault, .started, "2026-11-20T07:30", feeders: ["F5"]), at: Fixtures.t("2026-11-20T08:11"))
        #expect(d.events("IN").contains { $0.type == .linked })
        #expect(!d.events("OTHER").contains { $0.type == .linked })
        // Created before the outage began: not its customer.
        #expect(!d.events("BEFORE").contains { $0.type == .linked })
    }

    @Test func aTicketLinkedToAFaultAlreadyReportedHasNoRepairClock() throws {
        var d = TrackerDriver()
        var t = TicketEvent(eventId: "t2-created", ticketId: "T2", kind: .faultRepair, action: .created,
                            occurredAt: Fixtures.t("2026-11-20T08:20"), unit: "U1", region: .urban)
        t.relatedTicketId = "T1"
        try d.apply(.ticket(t))
        d.advance(to: Fixtures.t("2026-11-20T10:00"))
        #expect(d.lines("T2") == ["sla.linked"])
        let linked = try #require(d.events("T2").first)
        #expect(linked.relatedTicketId == "T1" && linked.outageId == nil && linked.occurredAt == t.occurredAt)
        let json = String(decoding: linked.json(calendar: Fixtures.calendar), as: UTF8.self)
        #expect(json.contains(#""related_ticket_id":"T1""#))
    }

    @Test func aLinkSurvivesTheChangelog() throws {
        var d = try Self.undispatched()
        try d.apply(outage("O5", .fault, .started, "2026-11-20T07:30", feeders: ["F5"]), at: Fixtures.t("2026-11-20T08:30"))
        let id = SubjectID(.ticket, "T1")
        let state = try #require(d.tracker.state(of: id))
        #expect(state.linkedOutage == "O5" && state.linkedAt == Fixtures.t("2026-11-20T08:10"))
        let back = try StateCodec.decode(StateCodec.encode(state, policy: Fixtures.policy), policy: Fixtures.policy)
        #expect(back == state)
        var related = SubjectState(kind: .faultRepair)
        related.linkedTicket = "T0"; related.linkedAt = Fixtures.t("2026-11-20T08:00")
        #expect(try StateCodec.decode(StateCodec.encode(related, policy: Fixtures.policy), policy: Fixtures.policy) == related)
    }

    @Test func aTicketRestoredUnlinkedIsLinkedToAnOutageEnteredMeanwhile() throws {
        let d = try Self.undispatched()
        let id = SubjectID(.ticket, "T1")
        var restored = TrackerDriver()
        try restored.tracker.restore(id, from: d.tracker.encodedState(of: id)!)
        // The outage was entered while nobody held the ticket; the new owner's table has it.
        restored.outages.apply(OutageEvent(eventId: "o5", outageId: "O5", kind: .fault, action: .started,
                                           occurredAt: Fixtures.t("2026-11-20T07:30"), feeders: ["F5"], cause: "test"))
        restored.now = Fixtures.t("2026-11-20T09:00")
        restored.carry(restored.tracker.relinkAll(now: restored.now, outages: restored.outages))
        #expect(restored.lines("T1").first == "sla.linked")
        #expect(restored.events("T1").filter { $0.type == .retracted }.count == 4)
    }

    /// A lookup that answers but cannot list its places (as the default of the protocol).
    struct UnlistedOutages: OutageLookup {
        var table: OutageTable
        func covering(feeder: String?, area: String?, at time: Timestamp) -> OutageMatch? {
            table.covering(feeder: feeder, area: area, at: time)
        }
    }

    @Test func onlyTicketsOnAPlaceAKnownOutageNamesAreAskedAboutAfterARestore() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:10", region: .urban, feeder: "F5"))
        try d.apply(ticket("T2", .faultRepair, .created, "2026-11-20T08:11", region: .urban, feeder: "F6"))
        try d.apply(ticket("T3", .faultRepair, .created, "2026-11-20T08:12", region: .urban, feeder: "F7"))
        #expect(d.tracker.relinkCandidates(outages: NoKnownOutages()) == [])
        // Outages on F5 (started) and F7 (cancelled: still named, so still asked about).
        d.outages.apply(OutageEvent(eventId: "o5", outageId: "O5", kind: .fault, action: .started,
                                    occurredAt: Fixtures.t("2026-11-20T07:30"), feeders: ["F5"], cause: "test"))
        d.outages.apply(OutageEvent(eventId: "o7", outageId: "O7", kind: .fault, action: .started,
                                    occurredAt: Fixtures.t("2026-11-20T07:40"), feeders: ["F7"], cause: "test"))
        d.outages.apply(OutageEvent(eventId: "o7c", outageId: "O7", kind: .fault, action: .cancelled,
                                    occurredAt: Fixtures.t("2026-11-20T07:50"), feeders: ["F7"], cause: "test"))
        let ids = { (names: [String]) in names.map { SubjectID(.ticket, $0) } }
        #expect(d.tracker.relinkCandidates(outages: d.outages) == ids(["T1", "T3"]))
        #expect(d.tracker.relinkCandidates(outages: UnlistedOutages(table: d.outages)) == ids(["T1", "T2", "T3"]))
        // Relinking the candidates links T1 alone, as relinking every ticket would.
        let actions = d.tracker.relinkAll(now: Fixtures.t("2026-11-20T08:30"), outages: d.outages)
        #expect(Set(actions.compactMap { if case .emit(let e) = $0, e.type == .linked { return e.subject.id }; return nil }) == ["T1"])
    }
}
