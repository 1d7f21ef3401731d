import Testing
@testable import SLACore

/// Rules 5 and 9 judge a return from receipt whatever the unit said first, and the customer's
/// whole wait (`repair.commitment`) spans every cycle. Expected values worked out by hand.
@Suite struct ReturnAndCommitmentTests {
    @Test func acceptingThenReturningLateIsAMissedReturn() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .urban))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:02"))
        try d.apply(ticket("T1", .faultRepair, .accepted, "2026-11-20T08:05"))
        try d.apply(ticket("T1", .faultRepair, .returned, "2026-11-20T08:40"))
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:45"))
        try d.apply(ticket("T1", .faultRepair, .arrived, "2026-11-20T09:18"))
        let ret = d.events("T1").filter { $0.stage == "repair.return" }
        // Received 08:02, 5 minutes → 08:07; returned 08:40: 38 minutes, late.
        #expect(ret.map(\.type) == [.missed])
        #expect(ret.first?.deadline == Fixtures.t("2026-11-20T08:07") && ret.first?.elapsed == .minutes(38))
        // The second cycle's crew arrived 33 minutes after its dispatch (45 allowed): met …
        let arrival = d.events("T1").filter { $0.stage == "repair.arrival" && [.met, .missed, .stopped].contains($0.type) }
        #expect(arrival.map { "\($0.type.rawValue) \($0.cycle)" } == ["sla.stopped 1", "sla.met 2"])
        // … but the customer waited 08:00 → 09:18 = 78 minutes against 5 + 45 = 50.
        let commitment = d.events("T1").filter { $0.stage == "repair.commitment" }
        #expect(commitment.map(\.type) == [.missed])
        #expect(commitment.first?.elapsed == .minutes(78) && commitment.first?.deadline == Fixtures.t("2026-11-20T08:50"))
        #expect(commitment.first?.startedAt == Fixtures.t("2026-11-20T08:00") && commitment.first?.endedBy == .arrived)
    }

    @Test func aReturnInTimeAfterAcceptingIsMet() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T2", .faultRepair, .created, "2026-11-20T08:00", region: .rural))
        try d.apply(ticket("T2", .faultRepair, .dispatched, "2026-11-20T08:02"))
        try d.apply(ticket("T2", .faultRepair, .accepted, "2026-11-20T08:03"))
        try d.apply(ticket("T2", .faultRepair, .returned, "2026-11-20T08:06"))
        let ret = d.events("T2").filter { $0.stage == "repair.return" }
        #expect(ret.map(\.type) == [.met] && ret.first?.elapsed == .minutes(4))
    }

    @Test func theCrewsArrivalVoidsTheReturnClockWithoutAVerdict() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T3", .faultRepair, .created, "2026-11-20T08:00", region: .remote))
        try d.apply(ticket("T3", .faultRepair, .dispatched, "2026-11-20T08:02"))
        try d.apply(ticket("T3", .faultRepair, .accepted, "2026-11-20T08:03"))
        try d.apply(ticket("T3", .faultRepair, .arrived, "2026-11-20T10:00"))
        #expect(d.events("T3").filter { $0.stage == "repair.return" }.isEmpty)
        // Remote: 5 + 120 = 125 minutes; 08:00 → 10:00 is 120: met.
        let commitment = d.events("T3").filter { $0.stage == "repair.commitment" }
        #expect(commitment.map(\.type) == [.met] && commitment.first?.elapsed == .minutes(120))
        #expect(commitment.first?.deadline == Fixtures.t("2026-11-20T10:05"))
    }

    @Test func aComplaintReturnedAfterAcceptingIsJudgedOnItsWorkingDay() throws {
        var d = TrackerDriver()
        // Dispatched Friday 09:10; 1 working day → the end of Monday 11-23.
        try d.apply(ticket("C1", .complaint, .created, "2026-11-20T09:00"))
        try d.apply(ticket("C1", .complaint, .dispatched, "2026-11-20T09:10"))
        try d.apply(ticket("C1", .complaint, .accepted, "2026-11-20T09:30"))
        try d.apply(ticket("C1", .complaint, .returned, "2026-11-24T09:00"))
        let ret = d.events("C1").filter { $0.stage == "appeal.return" }
        #expect(ret.map(\.type) == [.missed])
        #expect(ret.first?.deadline == Fixtures.t("2026-11-24T00:00"))
    }
}
