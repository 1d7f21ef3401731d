import Testing
@testable import SLACore

/// New files put in force with clocks running: moved deadlines are rescheduled, alarms they make
/// premature withdrawn and raised again at their new time, verdicts already given stand. Every
/// expected instant is worked by hand.
@Suite struct TrackerReloadTests {
    /// The shipped calendar with 2027 "officially" published, 元旦 running 01-01…01-04.
    static let official2027: BusinessCalendar = {
        let text = Fixtures.text("calendar/cn-mainland.yaml")
            .replacingOccurrences(of: "version: cn-mainland-2026.12-p2027", with: "version: test-2027-official")
            .replacingOccurrences(of: "    provisional: true\n", with: "")
            .replacingOccurrences(of: "      - 2027-01-01               #", with: "      - 2027-01-01..2027-01-04   #")
        return try! CalendarLoader.parse(text, file: "official.yaml")
    }()

    static func policy(urbanArrival: String, version: String) -> Policy {
        let text = Fixtures.text("policy/95598.yaml")
            .replacingOccurrences(of: "urban: 45m", with: "urban: \(urbanArrival)")
            .replacingOccurrences(of: #"version: "95598-default-2026.12""#, with: "version: \(version)")
        return try! PolicyLoader.parse(text, file: "p.yaml")
    }

    @Test func aMovedHolidayReschedulesTheClockAndWithdrawsAPrematureWarning() throws {
        var d = TrackerDriver()
        // 12-28 (Mon) + 5 working days under the provisional 2027: deadline 2027-01-06 00:00,
        // warning and reminder at 2027-01-05 00:00 (the end of the 4th counted day, 01-04).
        try d.apply(ticket("C1", .complaint, .created, "2026-12-28T10:00"))
        d.advance(to: Fixtures.t("2027-01-05T08:00"))
        let before = d.events("C1").map(\.eventId)
        #expect(before.contains("ticket:C1:complaint.resolution@20261228T020000Z:sla.warning"))
        #expect(before.contains("ticket:C1:complaint.resolution@20261228T020000Z:sla.escalated:reminder"))
        let count = d.emitted.count

        // The notice makes 01-04 a holiday: 12-29, 12-30, 12-31, 01-05, 01-06 → deadline 01-07 00:00,
        // warning and reminder at 01-06 00:00 — after now, so both were premature.
        d.reload(calendar: Self.official2027, at: Fixtures.t("2027-01-05T08:00"))
        let news = Array(d.emitted[count...])
        #expect(news.map { "\($0.type.rawValue) \($0.retractedEventId ?? "")" } == [
            "sla.rescheduled ",
            "sla.retracted ticket:C1:complaint.resolution@20261228T020000Z:sla.warning",
            "sla.retracted ticket:C1:complaint.resolution@20261228T020000Z:sla.escalated:reminder",
        ])
        let r = news[0]
        #expect(r.eventId == "ticket:C1:complaint.resolution@20261228T020000Z:sla.rescheduled#r1")
        #expect(r.oldDeadline == Fixtures.t("2027-01-06T00:00") && r.deadline == Fixtures.t("2027-01-07T00:00"))
        #expect(r.reason == "calendar" && r.reasonText == "calendar cn-mainland-2026.12-p2027 → test-2027-official")
        #expect(!r.provisional && r.calendarVersion == "test-2027-official")
        #expect(news[1].eventId == "ticket:C1:complaint.resolution@20261228T020000Z:sla.warning~retracted")
        #expect(news.allSatisfy { $0.detectedAt == Fixtures.t("2027-01-05T08:00") })

        // The warning fires again at its new time, as a new event.
        d.advance(to: Fixtures.t("2027-01-07T00:30"))
        let again = d.emitted[(count + 3)...].filter { $0.subject.id == "C1" }
        #expect(again.map { "\($0.eventId) \(Fixtures.calendar.format($0.occurredAt))" } == [
            "ticket:C1:complaint.resolution@20261228T020000Z:sla.warning#r1 2027-01-06T00:00:00+08:00",
            "ticket:C1:complaint.resolution@20261228T020000Z:sla.escalated:reminder#r1 2027-01-06T00:00:00+08:00",
            "ticket:C1:complaint.resolution@20261228T020000Z:sla.overdue#r1 2027-01-07T00:00:00+08:00",
            "ticket:C1:complaint.resolution@20261228T020000Z:sla.escalated:urge#r1 2027-01-07T00:00:00+08:00",
        ])
        // And the state holds it all across a changelog round trip.
        let id = SubjectID(.ticket, "C1")
        #expect(try StateCodec.decode(d.tracker.encodedState(of: id)!, policy: Fixtures.policy) == d.tracker.state(of: id))
    }

    @Test func aShorterLimitReschedulesAndLeavesAlarmsThatAreStillDue() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T07:59", region: .urban))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:00"))
        d.advance(to: Fixtures.t("2026-11-20T08:38"))  // 80 % of 45 min: warning at 08:36
        let count = d.emitted.count
        d.reload(policy: Self.policy(urbanArrival: "40m", version: "p-40"), at: Fixtures.t("2026-11-20T08:38"))
        let news = d.emitted[count...].map { "\($0.type.rawValue) \($0.stage)" }
        // 40 min: deadline 08:40, warning 08:32 — still due, so it stands.
        #expect(news == ["sla.rescheduled repair.arrival"])
        let r = try #require(d.emitted.last)
        #expect(r.oldDeadline == Fixtures.t("2026-11-20T08:45") && r.deadline == Fixtures.t("2026-11-20T08:40"))
        #expect(r.reason == "policy" && r.reasonText == "policy 95598-default-2026.12 → p-40")
        try d.apply(ticket("T1", .faultRepair, .arrived, "2026-11-20T08:42"))
        let verdict = try #require(d.events("T1").last { $0.stage == "repair.arrival" && $0.type == .missed })
        #expect(verdict.elapsed == .minutes(42) && verdict.deadline == Fixtures.t("2026-11-20T08:40"))
    }

    @Test func aLongerLimitWithdrawsTheOverdueAndTheRollupsFollow() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T07:59", region: .urban))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:00"))
        d.advance(to: Fixtures.t("2026-11-20T08:50"))  // overdue and urge at 08:45
        var book = RollupBook(calendar: Fixtures.calendar, rule: Fixtures.policy.scorecard, retention: .days(40))
        func feed(_ events: ArraySlice<SLAEvent>) { for e in events { if let o = Outcome(e) { _ = book.apply(o, view: .unit, now: d.now) } } }
        func overdue() -> Int64 {
            book.allCells.filter { $0.key.view == .unit && $0.key.window.grain == .day && $0.key.stage == "repair.arrival" }.map(\.cell.overdue).reduce(0, +)
        }
        feed(d.emitted[...])
        #expect(overdue() == 1)
        let count = d.emitted.count
        // 60 min: deadline 09:00; the overdue and urge at 08:45 were premature, the warning
        // (08:48 under the new limit) is due and stands.
        d.reload(policy: Self.policy(urbanArrival: "60m", version: "p-60"), at: Fixtures.t("2026-11-20T08:50"))
        #expect(d.emitted[count...].map { "\($0.type.rawValue) \($0.level ?? "")" } == ["sla.rescheduled ", "sla.retracted ", "sla.retracted urge"])
        feed(d.emitted[count...])
        #expect(overdue() == 0)
        d.advance(to: Fixtures.t("2026-11-20T09:01"))
        #expect(d.events("T1").last { $0.type == .overdue }?.eventId == "ticket:T1:repair.arrival@20261120T000000Z:sla.overdue#r1")
        feed(d.emitted[(count + 3)...])
        #expect(overdue() == 1)
    }

    @Test func aVerdictGivenBeforeTheChangeStandsOnItsDeadline() throws {
        var d = TrackerDriver()
        // 12-21 (Mon) + 5: 12-22 … 12-25, 12-28 → deadline 12-29 00:00; resolved 12-28 20:00: met.
        try d.apply(ticket("C1", .complaint, .created, "2026-12-21T10:00"))
        try d.apply(ticket("C1", .complaint, .resolved, "2026-12-28T20:00"))
        #expect(d.events("C1").last?.type == .met)
        // A calendar that makes Saturday 12-26 a working day would end the count on 12-26 (deadline
        // 12-27 00:00) and call the resolution late: the unit was judged on the deadline it was given.
        let text = Fixtures.text("calendar/cn-mainland.yaml")
            .replacingOccurrences(of: "      - 2026-10-10               # Sat, National Day", with: "      - 2026-10-10               # Sat, National Day\n      - 2026-12-26")
        let moved = try CalendarLoader.parse(text, file: "moved.yaml")
        #expect(try moved.deadline(workingDays: 5, after: Fixtures.t("2026-12-21T10:00")) == Fixtures.t("2026-12-27T00:00"))
        let count = d.emitted.count
        d.reload(calendar: moved, at: Fixtures.t("2026-12-29T09:00"))
        #expect(d.emitted.count == count)
        // A late event for that cycle is still judged on the deadline it was given.
        try d.apply(ticket("C1", .complaint, .dispatched, "2026-12-21T10:20"))
        #expect(!d.events("C1").contains { $0.type == .missed && $0.stage == "complaint.resolution" })
    }

    @Test func aStateFromAnInstanceWithOtherFilesIsNamedAsSuch() throws {
        var a = TrackerDriver()
        try a.apply(ticket("T1", .faultRepair, .created, "2026-11-20T07:59", region: .urban))
        try a.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:00"))
        let id = SubjectID(.ticket, "T1")
        // Another instance, already running the 40-minute policy, takes the partition over.
        var b = SLATracker(policy: Self.policy(urbanArrival: "40m", version: "p-40"), calendar: Fixtures.calendar)
        let state = try b.restore(id, from: a.tracker.encodedState(of: id)!)
        #expect(b.needsReevaluation(state))
        let r = try #require(b.fire(id, now: Fixtures.t("2026-11-20T08:10")).emitted.first { $0.type == .rescheduled })
        #expect(r.reason == "files" && r.deadline == Fixtures.t("2026-11-20T08:40"))
        #expect(!b.needsReevaluation(b.state(of: id)!))
    }
}
