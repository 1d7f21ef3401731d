import Testing
@testable import SLACore

/// The board from SLA events written by hand: every expectation below is read off the events.
@Suite struct ClockBoardTests {
    let calendar = Fixtures.calendar
    // 2026-12-15 10:00 in Shanghai.
    let t0 = Timestamp(milliseconds: 1_797_300_000_000)
    func at(_ minutes: Int64) -> Timestamp { t0.adding(.minutes(minutes)) }

    func ev(_ type: SLAEventType, _ id: String, stage: String = "repair.arrival", start: Int64 = 0, deadline: Int64? = 45, at t: Int64,
            party: String = "U1", level: String? = nil, suffix: String = "", retracts: String? = nil) -> BoardEvent {
        BoardEvent(eventId: "ticket:\(id):\(stage):\(type.rawValue)\(level.map { ":\($0)" } ?? "")\(suffix)", type: type, subjectId: id,
                   kind: "fault_repair", stage: stage, unit: party, chargedTo: party, startedAt: at(start),
                   deadline: deadline.map(at), occurredAt: at(t), level: level, retractedEventId: retracts)
    }

    @Test func overdueDueSoonAndEndedAreWhatTheEventsSay() {
        var b = ClockBoard()
        // T1: started 0, due 45, overdue at 45, urge at 45, supervisor at 75 → overdue, level supervisor.
        b.apply(ev(.started, "T1", at: 0))
        b.apply(ev(.overdue, "T1", at: 45))
        b.apply(ev(.escalated, "T1", at: 45, level: "urge"))
        b.apply(ev(.escalated, "T1", at: 75, level: "supervisor"))
        // T2: started 30, due 75 → due within 30 min at minute 50 (25 min left).
        b.apply(ev(.started, "T2", start: 30, deadline: 75, at: 30))
        // T3: started 10, due 55, met at 40 → neither overdue nor due.
        b.apply(ev(.started, "T3", start: 10, deadline: 55, at: 10))
        b.apply(ev(.met, "T3", start: 10, deadline: 55, at: 40))
        // T4 (U2): started 0, due 20, missed at 35 → ended, counted missed today.
        b.apply(ev(.started, "T4", deadline: 20, at: 0, party: "U2"))
        b.apply(ev(.overdue, "T4", deadline: 20, at: 20, party: "U2"))
        b.apply(ev(.missed, "T4", deadline: 20, at: 35, party: "U2"))
        // T5: due 120 → not within 30 min of minute 50.
        b.apply(ev(.started, "T5", deadline: 120, at: 0))

        let now = at(50)
        #expect(b.overdue(now: now).map(\.subjectId) == ["T1"])
        #expect(b.overdue(now: now).first?.ladderLevel == "supervisor")
        #expect(b.due(now: now, within: .minutes(30)).map(\.subjectId) == ["T2"])
        #expect(b.due(now: now, within: .minutes(80)).map(\.subjectId) == ["T2", "T5"])
        #expect(b.overdue(now: now, party: "U2").isEmpty)
        #expect(b.todayRates(now: now, calendar: calendar) == [
            .init(party: "U1", stage: "repair.arrival", met: 1, missed: 0),
            .init(party: "U2", stage: "repair.arrival", met: 0, missed: 1),
        ])
        #expect(b.parties == ["U1", "U2"])
    }

    @Test func retractionsReschedulesAndCorrectedVerdictsAreFollowed() {
        var b = ClockBoard()
        b.apply(ev(.started, "T1", at: 0))
        let overdue = ev(.overdue, "T1", at: 45)
        b.apply(overdue)
        b.apply(ev(.escalated, "T1", at: 45, level: "urge"))
        // The deadline moves to 90: both alarms withdrawn. At minute 60 it is due within 30, not overdue.
        var moved = ev(.rescheduled, "T1", deadline: 90, at: 50)
        moved.reason = "files_changed"
        b.apply(moved)
        b.apply(ev(.retracted, "T1", at: 50, suffix: "~retracted", retracts: overdue.eventId))
        b.apply(ev(.retracted, "T1", at: 50, suffix: ":urge~retracted", retracts: "ticket:T1:repair.arrival:sla.escalated:urge"))
        #expect(b.overdue(now: at(60)).isEmpty)
        #expect(b.due(now: at(60), within: .minutes(30)).map(\.deadline) == [at(90)])
        #expect(b.clocks.values.first?.alarms.isEmpty == true)
        // A stop, then a late event corrects it to met: the last verdict counts (met 1, missed 0).
        b.apply(ev(.stopped, "T1", deadline: 90, at: 70))
        #expect(b.todayRates(now: at(80), calendar: calendar).isEmpty)
        b.apply(ev(.met, "T1", deadline: 90, at: 65))
        #expect(b.todayRates(now: at(80), calendar: calendar) == [.init(party: "U1", stage: "repair.arrival", met: 1, missed: 0)])
        // A cycle withdrawn (reordered) and brought back runs again.
        b.apply(ev(.started, "T1", deadline: 90, at: 66, suffix: "#w1"))
        #expect(b.due(now: at(80), within: .minutes(30)).count == 1)
    }

    @Test func theTwoTopicsInAnyInterleavingGiveTheSameBoard() {
        // Events topic: started, missed. Escalations topic: overdue, urge. Every merge of the two.
        let events = [ev(.started, "T9", deadline: 20, at: 0), ev(.missed, "T9", deadline: 20, at: 30)]
        let alarms = [ev(.overdue, "T9", deadline: 20, at: 20), ev(.escalated, "T9", deadline: 20, at: 20, level: "urge")]
        for mask in 0..<16 {  // which positions of the 4 take an event: choose 2 (6 merges), the rest skipped
            guard mask.nonzeroBitCount == 2 else { continue }
            var e = events[...], a = alarms[...], b = ClockBoard()
            for i in 0..<4 { b.apply(mask & (1 << i) != 0 ? e.removeFirst() : a.removeFirst()) }
            #expect(b.overdue(now: at(25)).isEmpty, "merge \(mask)")
            #expect(b.todayRates(now: at(40), calendar: calendar) == [.init(party: "U1", stage: "repair.arrival", met: 0, missed: 1)], "merge \(mask)")
            #expect(b.clocks.count == 1)
        }
        // Before the events topic is read at all, the overdue alarm alone shows it overdue.
        var early = ClockBoard()
        early.apply(alarms[0])
        #expect(early.overdue(now: at(25)).map(\.subjectId) == ["T9"])
    }

    @Test func unresolvedCyclesAreListedUntilTheyStart() {
        var b = ClockBoard()
        var u = ev(.unresolved, "C1", stage: "appeal.resolution", start: 5, deadline: nil, at: 5)
        u.reason = "calendar_not_covered"; u.missing = "calendar:2027"
        b.apply(u)
        #expect(b.unresolved().map(\.subjectId) == ["C1"])
        #expect(b.unresolved().first?.state == .unresolved(reason: "calendar_not_covered", missing: "calendar:2027"))
        b.apply(ev(.started, "C1", stage: "appeal.resolution", start: 5, deadline: 9000, at: 5))
        #expect(b.unresolved().isEmpty)
    }

    @Test func yesterdaysEndedCyclesArePrunedAndRunningOnesKept() {
        var b = ClockBoard()
        b.apply(ev(.started, "OLD", at: 0))
        b.apply(ev(.met, "OLD", at: 30))
        b.apply(ev(.started, "RUN", deadline: 5000, at: 0))
        // 2026-12-16 00:10 in Shanghai: 14 h 10 min after t0.
        b.apply(ev(.started, "RUN2", deadline: 6000, at: 0, party: "U2"))
        b.prune(now: at(14 * 60 + 10), calendar: calendar)
        #expect(Set(b.clocks.values.map(\.subjectId)) == ["RUN", "RUN2"])
        #expect(b.count == 2)
        // The cycles moved by the removal are still found by their events.
        b.apply(ev(.missed, "RUN2", deadline: 6000, at: 14 * 60 + 11, party: "U2"))
        b.apply(ev(.overdue, "RUN", deadline: 5000, at: 14 * 60 + 12))
        #expect(b.todayRates(now: at(14 * 60 + 20), calendar: calendar) == [.init(party: "U2", stage: "repair.arrival", met: 0, missed: 1)])
        #expect(b.overdue(now: at(14 * 60 + 20)).isEmpty)   // RUN's deadline (5000 min) is days away; the alarm alone does not make it overdue
        #expect(b.parties == ["U1", "U2"])
        #expect(b.overdueCount(now: at(6000)) == 1)
    }

    @Test func listsAreCutAtTheirLimitButCountedWhole() {
        var b = ClockBoard()
        for i in 0..<5 { b.apply(ev(.started, "T\(i)", deadline: Int64(10 + i), at: 0)) }
        #expect(b.overdue(now: at(60), limit: 2).map(\.subjectId) == ["T0", "T1"])
        #expect(b.overdueCount(now: at(60)) == 5)
        #expect(b.dueCount(now: at(11), within: .minutes(2)) == 2)   // T2 at 12, T3 at 13
        #expect(b.overdue(now: at(60), party: "nobody").isEmpty)
    }

    @Test func anSLAEventOfTheContractDecodes() throws {
        let json = #"{"event_id":"ticket:T1:repair.arrival@20261215T020000Z:sla.escalated:urge","type":"sla.escalated","ticket_id":"T1","kind":"fault_repair","stage":"repair.arrival","rule":"3","cycle":2,"unit":"U1","charged_to":"U7","level":"urge","to":"repair_unit","started_at":"2026-12-15T10:00:00+08:00","deadline":"2026-12-15T10:45:00+08:00","occurred_at":"2026-12-15T10:45:00+08:00","detected_at":"2026-12-15T10:45:00+08:00","policy_version":"p","later_field":[1]}"#
        let e = try BoardEvent.decode(Array(json.utf8))
        #expect(e == BoardEvent(eventId: "ticket:T1:repair.arrival@20261215T020000Z:sla.escalated:urge", type: .escalated, subjectId: "T1",
                                kind: "fault_repair", stage: "repair.arrival", cycle: 2, unit: "U1", chargedTo: "U7", startedAt: t0,
                                deadline: at(45), occurredAt: at(45), level: "urge"))
        #expect(throws: EventRejection.self) { try BoardEvent.decode(Array(#"{"type":"sla.nope","ticket_id":"T","event_id":"e","occurred_at":"2026-12-15T10:00:00Z"}"#.utf8)) }
        #expect(throws: EventRejection.self) { try BoardEvent.decode(Array("not json".utf8)) }
    }
}
