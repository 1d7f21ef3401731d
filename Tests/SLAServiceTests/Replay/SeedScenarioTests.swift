import SLACore
import SLAService
import Testing

/// The seed rules' scenarios through replay, each with its expected values worked out by hand.
@Suite struct SeedScenarioTests {
    /// Replays the steps, advancing the clock to `wall` before each (the daemon's "now").
    static func replay(_ steps: [SeedStep], wall: String = "2026-11-24T12:00") throws -> [SLAEvent] {
        var h = Harness()
        for s in steps {
            for l in s.tickets + s.outages { try h.feed(Array(l.utf8)) }
        }
        h.advance(to: wall)
        return h.out
    }

    @Test func acceptingThenReturningAt38MinutesIsAMissedReturnAndTheWholeWaitIsMissed() throws {
        let out = try Self.replay(SeedScenarios.acceptThenReturn)
        let ret = out.filter { $0.stage == "repair.return" }
        #expect(ret.map(\.type) == [.missed] && ret.first?.elapsed == .minutes(38) && ret.first?.chargedTo == "GDS-A")
        let wait = out.filter { $0.stage == "repair.commitment" }
        #expect(wait.map(\.type) == [.missed] && wait.first?.elapsed == .minutes(78) && wait.first?.chargedTo == "GDS-B")
        // The second crew's arrival (08:45 → 09:18, 33 of 45 minutes) is GDS-B's and in time.
        #expect(out.last { $0.stage == "repair.arrival" && $0.type == .met }?.chargedTo == "GDS-B")
    }

    @Test func aMisroutedComplaintIsChargedToDeptBAndItsDispatchesToTheCentre() throws {
        let out = try Self.replay(SeedScenarios.misroutedComplaint)
        #expect(out.filter { $0.stage == "appeal.dispatch" }.allSatisfy { $0.chargedTo == "95598" })
        #expect(out.first { $0.stage == "complaint.resolution" && $0.type == .met }?.chargedTo == "Dept-B")
        #expect(out.first { $0.stage == "appeal.return" && $0.type == .met }?.chargedTo == "Dept-A")
    }

    @Test func aNoticeNeverMadeIsMissedAtTheOutagesStart() throws {
        let out = try Self.replay(SeedScenarios.neverAnnounced)
        let missed = try #require(out.first { $0.stage == "outage.notice.planned" && $0.type == .missed })
        #expect(missed.occurredAt == at("2026-11-20T08:00") && missed.shortBy == .days(7) && missed.chargedTo == "95598")
        #expect(out.filter { $0.stage == "outage.notice.planned" && [.met, .missed, .stopped].contains($0.type) }.count == 1)
    }

    @Test func anOutageEnteredLateLinksTheTicketStopsItsClocksAndWithdrawsItsAlarms() throws {
        var h = Harness()
        try h.feed(Array(SeedScenarios.lateOutage[0].tickets[0].utf8))
        // The outage is entered at 08:40: the dispatch alarms (08:14 … 08:25) are out by then.
        h.advance(to: "2026-11-20T08:40")
        let alarms = h.out.filter(\.type.isAlarm).map(\.eventId)
        #expect(alarms.count == 4)
        try h.feed(Array(SeedScenarios.lateOutage[1].outages[0].utf8))
        let t = h.out.filter { $0.subject.id == "S-LNK" }
        #expect(t.contains { $0.type == .linked && $0.outageId == "S-O5" })
        #expect(Set(t.compactMap(\.retractedEventId)) == Set(alarms))
        let stopped = try #require(t.first { $0.type == .stopped })
        #expect(stopped.reason == "linked" && stopped.stage == "repair.dispatch")
        #expect(Outcome(stopped)?.result == .voided)
    }

    @Test func arrivedCreatedDispatchedLeavesNoAlarmStanding() throws {
        var h = Harness()
        for (i, s) in SeedScenarios.outOfOrder.enumerated() {
            // Each arrives at 09:05, 09:06, 09:07.
            h.advance(to: "2026-11-20T09:0\(5 + i)")
            for l in s.tickets { try h.feed(Array(l.utf8)) }
        }
        let retracted = Set(h.out.compactMap(\.retractedEventId))
        let standing = h.out.filter { $0.type.isAlarm && !retracted.contains($0.eventId) }
        #expect(standing.isEmpty, "\(standing.map(\.eventId))")
        #expect(retracted.count == 4)
    }
}
