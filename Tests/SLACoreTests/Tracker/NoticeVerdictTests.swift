import Testing
@testable import SLACore

/// Rule 14 judges every notice: an outage that starts before it was announced with its lead
/// ends the notice stage `missed` then. Expected values worked out by hand.
@Suite struct NoticeVerdictTests {
    static let start = "2026-11-20T08:00"
    static func registered(_ id: String) -> InboundEvent {
        outage(id, .planned, .registered, "2026-11-01T09:00", startAt: start, estRestoreAt: "2026-11-20T17:00", feeders: ["F1"])
    }

    @Test func aNoticeNeverMadeIsMissedWhenThePlannedStartPasses() throws {
        var d = TrackerDriver()
        try d.apply(Self.registered("P1"))
        d.advance(to: Fixtures.t("2026-11-20T07:59"))
        // 7 days before 11-20 08:00 is 11-13 08:00: overdue and urged then, no verdict yet.
        #expect(d.lines("P1") == ["sla.started outage.notice.planned 1", "sla.warning outage.notice.planned 1",
                                  "sla.overdue outage.notice.planned 1", "sla.escalated outage.notice.planned 1 urge"])
        d.advance(to: Fixtures.t("2026-11-20T08:00"))
        let missed = try #require(d.events("P1").last)
        #expect(missed.type == .missed && missed.occurredAt == Fixtures.t(Self.start) && missed.endedBy == nil)
        #expect(missed.shortBy == .days(7) && missed.deadline == Fixtures.t("2026-11-13T08:00"))
        #expect(missed.elapsed == Fixtures.t(Self.start).since(Fixtures.t("2026-11-01T09:00")))
        #expect(missed.chargedTo == "95598")
        // A later announcement changes nothing; the outage runs and is restored.
        try d.apply(outage("P1", .planned, .started, "2026-11-20T08:00"))
        try d.apply(outage("P1", .planned, .announced, "2026-11-20T09:00"))
        try d.apply(outage("P1", .planned, .restored, "2026-11-20T16:30"))
        let notice = d.events("P1").filter { $0.stage == "outage.notice.planned" && [.met, .missed, .stopped].contains($0.type) }
        #expect(notice.count == 1)
        #expect(d.events("P1").last { $0.stage == "outage.restoration" }?.type == .met)
        // Restored: the state goes a retention (7 days) after the last event.
        d.advance(to: Fixtures.t("2026-11-27T16:29"))
        #expect(d.forgotten.isEmpty)
        d.advance(to: Fixtures.t("2026-11-27T16:30"))
        #expect(d.forgotten == [SubjectID(.outage, "P1")])
    }

    @Test func anOutageStartedEarlyUnannouncedIsMissedAtItsStartWithTheWholeLead() throws {
        var d = TrackerDriver()
        try d.apply(Self.registered("P2"))
        try d.apply(outage("P2", .planned, .started, "2026-11-05T10:00"))
        let missed = try #require(d.events("P2").first { $0.type == .missed })
        #expect(missed.occurredAt == Fixtures.t("2026-11-05T10:00") && missed.endedBy == .started && missed.shortBy == .days(7))
        // Its deadline (11-13) had not come: no overdue was raised before the verdict.
        #expect(!d.events("P2").contains { $0.type == .overdue })
    }

    @Test func aLateNoticeFallsShortByTheTimeAfterItsDeadline() throws {
        var d = TrackerDriver()
        try d.apply(Self.registered("P3"))
        try d.apply(outage("P3", .planned, .announced, "2026-11-15T08:00"))
        let missed = try #require(d.events("P3").first { $0.type == .missed })
        #expect(missed.shortBy == .days(2) && missed.endedBy == .announced)
        try d.apply(outage("P3", .planned, .started, "2026-11-20T08:00"))
        #expect(d.events("P3").filter { $0.stage == "outage.notice.planned" && $0.type == .missed }.count == 1)
    }

    @Test func aNoticeInTimeIsMetAndCarriesNoShortfall() throws {
        var d = TrackerDriver()
        try d.apply(Self.registered("P4"))
        try d.apply(outage("P4", .planned, .announced, "2026-11-12T08:00"))
        let met = try #require(d.events("P4").first { $0.type == .met })
        #expect(met.shortBy == nil)
        d.advance(to: Fixtures.t("2026-11-21T00:00"))
        #expect(!d.events("P4").contains { $0.type == .missed })
    }
}
