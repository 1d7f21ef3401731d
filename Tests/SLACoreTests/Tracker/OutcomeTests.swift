import Testing
@testable import SLACore

@Suite struct OutcomeTests {
    @Test func onlyStageEndsLinksAndCallbacksAreOutcomes() throws {
        let s = Fixtures.t("2026-11-20T08:00")
        var e = SLAEvent(eventId: "ticket:T1:repair.dispatch@x:sla.met@y", type: .met, subject: SubjectID(.ticket, "T1"), kind: .faultRepair,
                         stage: "repair.dispatch", rule: "2", cycle: 1, unit: "U1", region: .rural, customerClass: nil, agent: "A1",
                         startedAt: s, deadline: s.adding(.minutes(5)), occurredAt: s.adding(.minutes(3)), detectedAt: s.adding(.minutes(3)),
                         elapsed: .minutes(3), level: nil, to: nil, outageId: nil, endedBy: .dispatched, policyVersion: "v")
        let met = try #require(Outcome(e))
        #expect(met.result == .met && met.outcomeId == e.eventId && met.key(.unit) == "U1" && met.key(.agent) == "A1" && met.slot == "ticket:T1:repair.dispatch@x" && met.elapsed == .minutes(3))
        #expect(String(decoding: met.json(calendar: Fixtures.calendar), as: UTF8.self).contains(#""result":"met","ticket_id":"T1""#))
        e.type = .stopped
        #expect(Outcome(e)?.result == .voided, "a cycle ended without a verdict")
        for t: SLAEventType in [.started, .warning, .escalated] {
            e.type = t
            #expect(Outcome(e) == nil, "\(t)")
        }
        e.type = .linked; e.stage = ""; e.outageId = "O1"
        #expect(Outcome(e)?.stage == "link" && Outcome(e)?.outageId == "O1")
        var cb = TicketEvent(eventId: "c1", ticketId: "T1", kind: .faultRepair, action: .callback, occurredAt: s)
        // A callback without a score still counts for the callback rate (回访率), not for satisfaction.
        #expect(Outcome(closure: cb, history: nil)?.result == .callback && Outcome(closure: cb, history: nil)?.satisfaction == nil)
        cb.satisfaction = 2
        #expect(Outcome(closure: cb, history: nil)?.outcomeId == "ticket:T1:closure:c1")
        // One slot per ticket: a second callback replaces the first (the ticket is called back once).
        #expect(Outcome(closure: cb, history: nil)?.slot == "ticket:T1:closure:callback")
        cb.action = .closed
        #expect(Outcome(closure: cb, history: nil)?.result == .closed && Outcome(closure: cb, history: nil)?.slot == "ticket:T1:closure:closed")
    }

    @Test func anElapsedTimeBeyondAnyInstantIsRefusedNotATrap() throws {
        // libFuzzer's finding: 5.9e25 seconds trapped converting to milliseconds.
        let text = #"{"outcome_id":"x","result":"met","ticket_id":"T","kind":"fault_repair","stage":"s","at":"2026-11-20T08:00:00+08:00","elapsed_seconds":58804772036854313720368547}"#
        #expect(throws: EventRejection(field: "elapsed_seconds", "58804772036854313720368547 is more than 253402300800")) { try Outcome.decode(Array(text.utf8)) }
        let fine = text.replacingOccurrences(of: "58804772036854313720368547", with: "253402300800")
        #expect(try Outcome.decode(Array(fine.utf8)).elapsed == .seconds(253_402_300_800))
    }

    @Test func theJSONOfTheOutcomesTopicReadsBackToTheSameOutcome() throws {
        let s = Fixtures.t("2026-11-20T08:00")
        let o = Outcome(outcomeId: "ticket:T1:repair.arrival@x:sla.missed@y", result: .missed, subject: SubjectID(.ticket, "T1"),
                        kind: .faultRepair, stage: "repair.arrival", unit: "供电所 1", agent: "A1", region: .remote, customerClass: .residential,
                        deadline: s, at: s.adding(.minutes(130)), elapsed: TimeSpan(milliseconds: 7_800_250), satisfaction: nil, outageId: nil)
        #expect(try Outcome.decode(o.json(calendar: Fixtures.calendar)) == o)
        var cb = o
        cb.result = .callback; cb.stage = "closure"; cb.satisfaction = 5; cb.elapsed = nil; cb.deadline = nil; cb.region = nil
        #expect(try Outcome.decode(cb.json(calendar: Fixtures.calendar)) == cb)
        #expect(throws: EventRejection.self) { try Outcome.decode(Array(#"{"outcome_id":"x","result":"great","ticket_id":"T","kind":"fault_repair","stage":"s","at":"2026-11-20T08:00:00+08:00"}"#.utf8)) }
    }
}
