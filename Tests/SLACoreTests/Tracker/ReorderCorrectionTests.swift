import Testing
@testable import SLACore

/// Events applied in `occurred_at` order whatever their arrival order: an alarm the corrected
/// history would not have raised is withdrawn. Expected values worked out by hand.
@Suite struct ReorderCorrectionTests {
    /// Standing alarms: raised and not withdrawn.
    static func standing(_ d: TrackerDriver, _ id: String) -> Set<String> {
        let retracted = Set(d.events(id).compactMap(\.retractedEventId))
        return Set(d.events(id).filter { $0.type.isAlarm }.map(\.eventId)).subtracting(retracted)
    }

    @Test func arrivedThenCreatedThenDispatchedLeavesNoAlarmStanding() throws {
        var d = TrackerDriver()
        let wall = Fixtures.t("2026-11-20T09:05")
        try d.apply(ticket("T1", .faultRepair, .arrived, "2026-11-20T09:00"), at: wall)
        try d.apply(ticket("T1", .faultRepair, .created, "2026-11-20T08:00", region: .rural), at: wall)
        // Created alone, the dispatch clock (08:05) looks 1 hour overdue: warning, overdue, urge, supervisor.
        #expect(Self.standing(d, "T1").count == 4)
        try d.apply(ticket("T1", .faultRepair, .dispatched, "2026-11-20T08:03"), at: wall)
        // In order: dispatched at 3 of 5 minutes, before the warning at 4; the rural crew (90 min,
        // warning at 72) arrived after 57 minutes; the customer waited 60 of 95. No alarm at all.
        #expect(Self.standing(d, "T1").isEmpty, "\(Self.standing(d, "T1"))")
        let retractions = d.events("T1").filter { $0.type == .retracted }
        #expect(retractions.count == 4 && retractions.allSatisfy { $0.reason == "reordered" && $0.stage == "repair.dispatch" })
        #expect(retractions.allSatisfy { $0.occurredAt == Fixtures.t("2026-11-20T08:03") && $0.detectedAt == wall })
        let verdicts = d.events("T1").filter { [.met, .missed].contains($0.type) }.map { "\($0.stage) \($0.type.rawValue)" }
        #expect(verdicts.sorted() == ["repair.arrival sla.met", "repair.commitment sla.met", "repair.dispatch sla.met"])
        // The overdue's withdrawal is the rollups' correction.
        let overdueEvent = try #require(retractions.first { $0.retractedEventId?.hasSuffix(":sla.overdue") == true })
        let overdue = try #require(Outcome(overdueEvent))
        #expect(overdue.result == .retracted)
    }

    @Test func aCycleALateStartAbsorbsIsStopped() throws {
        var d = TrackerDriver()
        // The reopening comes first; the complaint's creation (four days earlier) after it.
        try d.apply(ticket("C1", .complaint, .reopened, "2026-11-24T09:00"))
        #expect(d.lines("C1") == ["sla.started complaint.resolution 1"])
        try d.apply(ticket("C1", .complaint, .created, "2026-11-20T10:00"), at: Fixtures.t("2026-11-24T09:05"))
        // The resolution clock runs from 11-20: the one started at the reopening never ran.
        let stopped = try #require(d.events("C1").first { $0.type == .stopped })
        #expect(stopped.startedAt == Fixtures.t("2026-11-24T09:00") && stopped.reason == "reordered")
        #expect(stopped.stage == "complaint.resolution")
        let running = d.events("C1").filter { $0.type == .started && $0.stage == "complaint.resolution" }.map(\.startedAt)
        #expect(running.last == Fixtures.t("2026-11-20T10:00"))
    }

    @Test func everyStopSaysWhy() throws {
        var d = TrackerDriver()
        try d.apply(ticket("T3", .faultRepair, .created, "2026-11-20T08:00", region: .urban))
        try d.apply(ticket("T3", .faultRepair, .dispatched, "2026-11-20T08:02"))
        try d.apply(ticket("T3", .faultRepair, .returned, "2026-11-20T08:04"))
        try d.apply(ticket("T3", .faultRepair, .cancelled, "2026-11-20T08:05"))
        let stops = d.events("T3").filter { $0.type == .stopped }
        #expect(stops.map { "\($0.stage) \($0.reason ?? "-")" }.sorted() == [
            "repair.arrival returned", "repair.dispatch cancelled",
        ])
        // The customer's wait is judged only: its void is not news (no sla.stopped).
    }
}
