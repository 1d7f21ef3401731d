import Testing
@testable import SLACore

@Suite struct SLATrackerTests {
    @Test func timesAFaultRepairThroughItsStages() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .urban))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:04"))
        d.advance(to: Fixtures.t("2026-11-20T09:00"))
        try d.apply(ticket("T1", .faultRepair, .arrived, "2026-11-20T09:00"))
        #expect(d.lines("T1") == [
            "sla.started repair.dispatch 1", "sla.met repair.dispatch 1", "sla.started repair.arrival 1",
            "sla.warning repair.arrival 1", "sla.overdue repair.arrival 1", "sla.escalated repair.arrival 1 urge",
            // The customer's whole wait, 08:00 → 09:00 against 5 + 45 minutes.
            "sla.missed repair.commitment 1", "sla.missed repair.arrival 1", "sla.started repair.onsite_report.county 1",
            "sla.started repair.onsite_report.city 1",
        ])
        let overdue = d.emitted.first { $0.type == .overdue }!
        #expect(overdue.deadline == Fixtures.t("2026-11-20T08:49") && overdue.occurredAt == overdue.deadline)
        #expect(overdue.eventId == "ticket:T1:repair.arrival@20261120T000400Z:sla.overdue")
        #expect(overdue.policyVersion == "95598-default-2026.12" && overdue.unit == "U1" && overdue.region == .urban)
        let missed = try #require(d.emitted.first { $0.type == .missed && $0.stage == "repair.arrival" })
        #expect(missed.elapsed == .minutes(56) && missed.endedBy == .arrived)
    }

    @Test func ignoresDuplicateEventIds() throws {
        var d = TrackerDriver()
        let e = ticket("T1", .complaint, .created, "2026-11-20T08:00")
        try d.apply(e)
        let step = try d.apply(e)
        #expect(step == TrackerStep(disposition: .duplicate, actions: []))
        #expect(d.tracker.state(of: SubjectID(.ticket, "T1"))!.facts.count == 1)
    }

    @Test func keepsNothingForKindsNoStageTimes() throws {
        var d = TrackerDriver()
        let step = try d.apply(ticket("Q1", .consultation, .created, "2026-11-20T08:00"))
        #expect(step.disposition == .untracked && d.tracker.count == 0)
        // Only its volume is counted, from the event's own fields.
        #expect(step.actions.count == 1 && step.outcomes.map(\.result) == [.received] && step.outcomes.first?.unit == "U1")
    }

    @Test func outOfOrderEventsGiveTheSameVerdicts() throws {
        let events = [
            ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .rural),
            ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:03"),
            ticket("T1", .faultRepair, .arrived, "2026-11-20T09:00"),
            ticket("T1", .faultRepair, .onsiteReported, "2026-11-20T09:10", reportedTo: .county),
            ticket("T1", .faultRepair, .onsiteReported, "2026-11-20T09:20", reportedTo: .city),
        ]
        func verdicts(_ order: [Int]) throws -> [String] {
            var d = TrackerDriver()
            let late = Fixtures.t("2026-11-20T09:30")
            for i in order { try d.apply(events[i], at: max(late, events[i].occurredAt)) }
            return d.emitted.filter { [.met, .missed, .started].contains($0.type) }
                .map { "\($0.eventId) \($0.occurredAt) \($0.deadline!) \($0.elapsed.map(\.description) ?? "")" }.sorted()
        }
        let inOrder = try verdicts([0, 1, 2, 3, 4])
        #expect(inOrder.count == 9)
        let reversed = try verdicts([4, 2, 3, 1, 0])
        #expect(reversed == inOrder, "\(Set(reversed).symmetricDifference(inOrder))")
        #expect(try verdicts([2, 0, 4, 1, 3]) == inOrder)
    }

    @Test func aReturnedTicketStartsANewCycle() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .remote))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:02"))
        try d.apply(ticket("T1", .faultRepair, .returned, "2026-11-20T08:09"))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:12"))
        try d.apply(ticket("T1", .faultRepair, .arrived, "2026-11-20T10:00"))
        #expect(d.lines("T1") == [
            "sla.started repair.dispatch 1", "sla.met repair.dispatch 1", "sla.started repair.arrival 1",
            "sla.stopped repair.arrival 1", "sla.missed repair.return 1", "sla.started repair.dispatch 2",
            "sla.met repair.dispatch 2", "sla.started repair.arrival 2", "sla.warning repair.arrival 2",
            "sla.met repair.commitment 1", "sla.met repair.arrival 2", "sla.started repair.onsite_report.county 1", "sla.started repair.onsite_report.city 1",
        ])
        // The second arrival clock counts from the re-dispatch: 120 min for a remote area.
        #expect(d.emitted.first { $0.eventId == "ticket:T1:repair.arrival@20261120T001200Z:sla.started" }!.deadline == Fixtures.t("2026-11-20T10:12"))
    }

    @Test func aSentBackComplaintReopensResolution() throws {
        var d = TrackerDriver()
        try d.apply(ticket("C1", .complaint, .created, "2026-11-20T10:00"))
        try d.apply(ticket("C1", .complaint, .dispatched, "2026-11-20T10:10"))
        try d.apply(ticket("C1", .complaint, .resolved, "2026-11-23T15:00"))
        try d.apply(ticket("C1", .complaint, .sentBack, "2026-11-24T09:00"))
        let reopened = d.emitted.first { $0.eventId == "ticket:C1:complaint.resolution@20261124T010000Z:sla.started" }
        #expect(reopened?.deadline == Fixtures.t("2026-12-02T00:00"))  // Tue 11-24 + 5wd = end of Tue 12-01
        #expect(d.emitted.contains { $0.eventId == "ticket:C1:complaint.resolution@20261120T020000Z:sla.met@20261123T070000Z" })
    }

    @Test func closedAndCancelledStopEveryClock() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .urban))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:01"))
        try d.apply(ticket("T1", .faultRepair, .cancelled, "2026-11-20T08:10"))
        // The return window is judge-only: it ends silently.
        #expect(d.lines("T1") == ["sla.started repair.dispatch 1", "sla.met repair.dispatch 1", "sla.started repair.arrival 1", "sla.stopped repair.arrival 1"])
        // Only the retention timer is left: 7 days after the last event, then the state goes.
        #expect(d.timers[SubjectID(.ticket, "T1")] == Fixtures.t("2026-11-27T08:10"))
        d.advance(to: Fixtures.t("2026-11-28T00:00"))
        #expect(d.forgotten == [SubjectID(.ticket, "T1")] && d.tracker.count == 0)
        #expect(!d.lines("T1").contains { $0.contains("overdue") })
    }

    @Test func aMultiUnitComplaintEscalatesAtOnce() throws {
        var d = TrackerDriver()
        try d.apply(ticket("C1", .complaint, .created, "2026-11-20T10:00", multiUnit: true))
        let e = try #require(d.emitted.first { $0.type == .escalated })
        #expect(e.occurredAt == Fixtures.t("2026-11-20T10:00") && e.level == "leader" && e.to == "marketing_leader")
        #expect(e.eventId == "ticket:C1:complaint.resolution@20261120T020000Z:sla.escalated:leader-immediate")
        // Flagged later: escalated when the flag arrives.
        try d.apply(ticket("C2", .complaint, .created, "2026-11-20T10:00"))
        try d.apply(ticket("C2", .complaint, .dispatched, "2026-11-20T11:00", multiUnit: true))
        #expect(d.emitted.first { $0.subject.id == "C2" && $0.level == "leader" }?.occurredAt == Fixtures.t("2026-11-20T11:00"))
    }

    @Test func aTicketInsideAKnownOutageIsLinkedNotTimed() throws {
        var d = TrackerDriver()
        try d.apply(outage("O1", .fault, .started, "2026-11-20T13:00", startAt: "2026-11-20T13:00", estRestoreAt: "2026-11-20T16:00", feeders: ["F12"]))
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T13:20", region: .urban, feeder: "F12"))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T13:40"))
        #expect(d.lines("T1") == ["sla.linked"])
        #expect(d.emitted.first { $0.subject.id == "T1" }?.outageId == "O1")
        try d.apply(outage("O1", .fault, .restored, "2026-11-20T15:00"))
        try d.apply(ticket("T2", .faultRepair, .created, "2026-11-20T15:30", region: .urban, feeder: "F12"))
        #expect(d.lines("T2") == ["sla.started repair.dispatch 1"])
    }

    @Test func anEventItCannotTimeYetWaitsInsteadOfBeingLost() throws {
        var d = TrackerDriver()
        // The dispatch system's event overtakes the call-taker's `created`, which carries the region.
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:03"))
        #expect(d.unresolved == ["T1 repair.arrival: attribute_missing region"])
        #expect(d.lines("T1").filter { $0.contains("repair.arrival") } == ["sla.unresolved repair.arrival 1"])
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .rural), at: Fixtures.t("2026-11-20T08:05"))
        let started = try #require(d.emitted.first { $0.eventId == "ticket:T1:repair.arrival@20261120T000300Z:sla.started" })
        #expect(started.deadline == Fixtures.t("2026-11-20T09:33"))  // 90 min from the dispatch, not from its arrival here
        #expect(d.unresolved.count == 1)
    }

    @Test func aKindChangeIsRefusedAndChangesNothing() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .urban))
        let before = d.tracker.state(of: SubjectID(.ticket, "T1"))
        #expect(throws: EventRejection(field: "kind", #""complaint" differs from the ticket's kind "fault_repair""#)) {
            try d.apply(ticket("T1", .complaint, .dispatched, "2026-11-20T08:03"))
        }
        #expect(d.tracker.state(of: SubjectID(.ticket, "T1")) == before)
    }

    @Test func aYearTheCalendarLacksIsNamedNotGuessed() throws {
        var d = TrackerDriver(calendar: Fixtures.calendar2026)
        try d.apply(ticket("C1", .complaint, .created, "2026-12-28T10:00"))
        #expect(d.unresolved == ["C1 complaint.resolution: calendar_not_covered calendar:2027"])
        #expect(d.lines("C1") == ["sla.started appeal.dispatch 1", "sla.unresolved complaint.resolution 1"])
    }

    @Test func catchesUpWithWhatFellDueWhileNobodyWatched() throws {
        var t = SLATracker(policy: Fixtures.policy, calendar: Fixtures.calendar)
        _ = try t.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .urban), now: Fixtures.t("2026-11-20T08:00"))
        // The daemon was down; its timer is run at 10:00 instead of 08:04.
        let step = t.fire(SubjectID(.ticket, "T1"), now: Fixtures.t("2026-11-20T10:00"))
        let alarms = step.emitted
        #expect(alarms.map(\.type) == [.warning, .overdue, .escalated, .escalated])
        #expect(alarms.map(\.occurredAt) == ["08:04", "08:05", "08:05", "08:15"].map { Fixtures.t("2026-11-20T" + $0) })
        #expect(alarms.allSatisfy { $0.detectedAt == Fixtures.t("2026-11-20T10:00") })
        #expect(step.actions.contains(.persist(SubjectID(.ticket, "T1"))))
    }

    @Test func theOutageClocksFollowTheirInstants() throws {
        var d = TrackerDriver()
        // Planned outage registered 5 days ahead: the notice is overdue at once, the announcement late.
        try d.apply(outage("P1", .planned, .registered, "2026-11-20T09:00", startAt: "2026-11-25T08:00", estRestoreAt: "2026-11-25T17:00", feeders: ["F1"]))
        try d.apply(outage("P1", .planned, .announced, "2026-11-20T10:00"))
        #expect(d.lines("P1") == ["sla.started outage.notice.planned 1", "sla.overdue outage.notice.planned 1",
                                  "sla.escalated outage.notice.planned 1 urge", "sla.missed outage.notice.planned 1"])
        // Never announced: overdue exactly at start_at - 7 days.
        try d.apply(outage("P2", .planned, .registered, "2026-11-01T09:00", startAt: "2026-11-20T08:00", estRestoreAt: "2026-11-20T17:00", feeders: ["F1"]))
        d.advance(to: Fixtures.t("2026-11-14T00:00"))
        #expect(d.emitted.first { $0.subject.id == "P2" && $0.type == .overdue }?.occurredAt == Fixtures.t("2026-11-13T08:00"))
        // An updated estimate moves the restoration clock.
        try d.apply(outage("F1", .fault, .started, "2026-11-20T13:00", startAt: "2026-11-20T13:00", estRestoreAt: "2026-11-20T15:00", feeders: ["F9"]))
        try d.apply(outage("F1", .fault, .updated, "2026-11-20T14:00", estRestoreAt: "2026-11-20T18:00"))
        d.advance(to: Fixtures.t("2026-11-20T17:00"))
        #expect(!d.lines("F1").contains("sla.overdue outage.restoration 1"))
        d.advance(to: Fixtures.t("2026-11-20T18:00"))
        #expect(d.emitted.first { $0.subject.id == "F1" && $0.type == .overdue }?.occurredAt == Fixtures.t("2026-11-20T18:00"))
        // Cancelled stops both clocks.
        try d.apply(outage("P3", .temporary, .registered, "2026-11-20T09:00", startAt: "2026-11-23T09:00", estRestoreAt: "2026-11-23T12:00", feeders: ["F2"]))
        try d.apply(outage("P3", .temporary, .cancelled, "2026-11-20T10:00"))
        #expect(d.lines("P3") == ["sla.started outage.notice.temporary 1", "sla.stopped outage.notice.temporary 1"])
    }

    @Test func eventIdsAreDeterministic() throws {
        func run() throws -> [String] {
            var d = TrackerDriver()
            try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .urban))
            d.advance(to: Fixtures.t("2026-11-20T09:00"))
            return d.emitted.map(\.eventId)
        }
        let ids = try run()
        #expect(ids == (try run()))
        #expect(Set(ids).count == ids.count)
    }
}
