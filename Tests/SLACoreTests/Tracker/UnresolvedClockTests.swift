import Testing
@testable import SLACore

/// A stage that should run but cannot be timed is announced (`sla.unresolved`), kept, and
/// started from its original time once what it lacks arrives. Expected instants are worked by
/// hand from the rules (acceptance day not counted; the end of the N-th working day).
@Suite struct UnresolvedClockTests {
    @Test func aYearTheCalendarLacksIsAnnouncedThenTimedFromTheOriginalStartWhenTheYearArrives() throws {
        var d = TrackerDriver(calendar: Fixtures.calendar2026)
        try d.apply(ticket("C1", .complaint, .created, "2026-12-28T10:00"))
        let u = try #require(d.events("C1").first { $0.type == .unresolved })
        #expect(u.eventId == "ticket:C1:complaint.resolution@20261228T020000Z:sla.unresolved")
        #expect(u.reason == "calendar_not_covered" && u.missing == "calendar:2027")
        #expect(u.occurredAt == Fixtures.t("2026-12-28T10:00") && u.deadline == nil)
        #expect(u.reasonText?.contains("does not cover 2027") == true)
        let json = String(decoding: u.json(calendar: Fixtures.calendar), as: UTF8.self)
        #expect(json.contains(#""type":"sla.unresolved""#) && json.contains(#""reason":"calendar_not_covered""#) && json.contains(#""missing":"calendar:2027""#))
        // The state waits: nothing forgets it, later steps do not announce it again.
        d.advance(to: Fixtures.t("2027-01-10T09:00"))
        #expect(d.tracker.state(of: SubjectID(.ticket, "C1"))?.waitingReasons == [.calendarNotCovered])
        #expect(d.events("C1").filter { $0.type == .unresolved }.count == 1)

        // 2027 arrives (provisional). Counting from 12-28 (Mon, not counted): 12-29, 12-30, 12-31,
        // [01-01 元旦, 01-02/03 weekend], 01-04, 01-05 → deadline 2027-01-06 00:00.
        d.reload(calendar: Fixtures.calendar, at: Fixtures.t("2027-01-10T09:00"))
        let got = d.events("C1").filter { $0.stage == "complaint.resolution" && $0.type != .unresolved }
        let started = try #require(got.first)
        #expect(started.type == .started && started.startedAt == Fixtures.t("2026-12-28T10:00"))
        #expect(started.deadline == Fixtures.t("2027-01-06T00:00"))
        #expect(started.provisional && started.calendarVersion == "cn-mainland-2026.12-p2027")
        // Everything already due fires at once, at its own time, noticed now; all provisional.
        #expect(got.map { "\($0.type.rawValue) \($0.level ?? "-") \(Fixtures.calendar.format($0.occurredAt))" } == [
            "sla.started - 2026-12-28T10:00:00+08:00",
            "sla.warning - 2027-01-05T00:00:00+08:00",          // 4 of 5 working days used: the end of 01-04
            "sla.escalated reminder 2027-01-05T00:00:00+08:00",  // deadline − 1 day
            "sla.overdue - 2027-01-06T00:00:00+08:00",
            "sla.escalated urge 2027-01-06T00:00:00+08:00",
            "sla.escalated supervisor 2027-01-07T00:00:00+08:00",
            "sla.escalated leader 2027-01-08T00:00:00+08:00",
        ])
        #expect(got.dropFirst().allSatisfy { $0.detectedAt == Fixtures.t("2027-01-10T09:00") && $0.provisional })
        #expect(d.tracker.state(of: SubjectID(.ticket, "C1"))?.waitingReasons == [])
    }

    @Test func aMissingRegionIsAnnouncedThenTimedWhenALaterEventCarriesIt() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00"))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:02"))
        // The customer's whole wait (from 08:00) and the crew's clock (from 08:02) both need it.
        #expect(d.events("T1").filter { $0.type == .unresolved }.map(\.stage) == ["repair.commitment", "repair.arrival"])
        let u = try #require(d.events("T1").first { $0.type == .unresolved && $0.stage == "repair.arrival" })
        #expect(u.reason == "attribute_missing" && u.missing == "region")
        #expect(d.tracker.state(of: SubjectID(.ticket, "T1"))?.waitingReasons == [.attributeMissing, .attributeMissing])
        // The crew's acceptance names the region (rural: 90 min from the dispatch at 08:02).
        try d.apply(ticket("T1", .faultRepair, .accepted, "2026-11-20T08:20", region: .rural))
        let started = try #require(d.events("T1").first { $0.type == .started && $0.stage == "repair.arrival" })
        #expect(started.startedAt == Fixtures.t("2026-11-20T08:02") && started.deadline == Fixtures.t("2026-11-20T09:32"))
        #expect(d.tracker.state(of: SubjectID(.ticket, "T1"))?.waitingReasons == [])
    }

    @Test func aCustomerClassThePolicyDoesNotListIsUnknownNotMissing() throws {
        // The shipped policy with plan replies timed for residential applicants only.
        let text = Fixtures.text("policy/95598.yaml").replacingOccurrences(
            of: "limit: { by: customer_class, residential: 3wd, low_voltage: 7wd, non_residential: 7wd, hv_single: 15wd, hv_dual: 30wd }",
            with: "limit: { by: customer_class, residential: 3wd }")
        let policy = try PolicyLoader.parse(text, file: "p.yaml")
        var d = TrackerDriver(policy: policy)
        try d.apply(ticket("N1", .newConnection, .applicationAccepted, "2026-11-20T09:00", customerClass: .hvDual))
        let u = try #require(d.events("N1").first { $0.type == .unresolved })
        #expect(u.stage == "connection.plan_reply" && u.reason == "attribute_unknown" && u.missing == "customer_class:hv_dual")
        try d.apply(ticket("N2", .newConnection, .applicationAccepted, "2026-11-20T09:00", customerClass: .residential))
        #expect(!d.events("N2").contains { $0.type == .unresolved })
    }

    @Test func aDeadlineCountedOverAProvisionalYearSaysSo() throws {
        var d = TrackerDriver()
        try d.apply(ticket("C1", .complaint, .created, "2026-11-20T10:00"))
        try d.apply(ticket("C2", .complaint, .created, "2026-12-29T10:00"))
        let official = try #require(d.events("C1").first { $0.type == .started && $0.stage == "complaint.resolution" })
        let provisional = try #require(d.events("C2").first { $0.type == .started && $0.stage == "complaint.resolution" })
        #expect(!official.provisional && provisional.provisional)
        #expect(!String(decoding: official.json(calendar: Fixtures.calendar), as: UTF8.self).contains("calendar_status"))
        #expect(String(decoding: provisional.json(calendar: Fixtures.calendar), as: UTF8.self).contains(#""calendar_status":"provisional""#))
        // A clock on the minute is not counted over days at all.
        #expect(d.events("C2").first { $0.stage == "appeal.dispatch" }?.provisional == false)
    }

    @Test func aWorkingDayWarningFallsInWorkingTime() throws {
        // Created Monday 2026-11-16 10:00; 5 working days: 11-17 … 11-20, 11-23 → deadline 11-24 00:00.
        // 80 % on the clock would be Sunday 11-22 11:36; in working time it is the end of the 4th
        // working day, Friday 11-20 24:00.
        var d = TrackerDriver()
        try d.apply(ticket("C1", .complaint, .created, "2026-11-16T10:00"))
        d.advance(to: Fixtures.t("2026-11-23T12:00"))
        let w = try #require(d.events("C1").first { $0.type == .warning && $0.stage == "complaint.resolution" })
        #expect(w.occurredAt == Fixtures.t("2026-11-21T00:00"))
        #expect(w.deadline == Fixtures.t("2026-11-24T00:00"))
    }
}
