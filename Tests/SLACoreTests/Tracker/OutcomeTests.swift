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
        #expect(met.result == .met && met.outcomeId == e.eventId && met.key == "U1" && met.elapsed == .minutes(3))
        #expect(met.json(calendar: Fixtures.calendar).contains(#""result":"met","ticket_id":"T1""#))
        for t: SLAEventType in [.started, .warning, .escalated, .stopped] {
            e.type = t
            #expect(Outcome(e) == nil, "\(t)")
        }
        e.type = .linked; e.stage = ""; e.outageId = "O1"
        #expect(Outcome(e)?.stage == "link" && Outcome(e)?.outageId == "O1")
        var cb = TicketEvent(eventId: "c1", ticketId: "T1", kind: .faultRepair, action: .callback, occurredAt: s)
        #expect(Outcome(callback: cb, history: nil) == nil, "no satisfaction, nothing to assess")
        cb.satisfaction = 2
        #expect(Outcome(callback: cb, history: nil)?.outcomeId == "ticket:T1:callback:c1")
    }
}
