import Testing
@testable import SLACore

/// A subject past ``TrackerLimits`` is refused: its running clocks stop (`sla.stopped`, reason
/// `oversized`), its history goes, its later events are refused, and its stored state stays
/// small. Deadlines are worked by hand (5 working days from Fri 2026-11-20, acceptance day not
/// counted: Mon 23 … Fri 27, so the end of the 27th).
@Suite struct SubjectRefusalTests {
    /// A complaint created at 10:00 and dispatched at 10:10, then `n` acceptances a minute apart.
    private func complaint(_ d: inout TrackerDriver, _ id: String, acceptances n: Int) throws(EventRejection) -> [TrackerStep] {
        var steps: [TrackerStep] = []
        steps.append(try d.apply(ticket(id, .complaint, .created, "2026-11-20T10:00")))
        steps.append(try d.apply(ticket(id, .complaint, .dispatched, "2026-11-20T10:10")))
        for k in 0..<n {
            steps.append(try d.apply(ticket(id, .complaint, .accepted, "2026-11-20T10:\(11 + k)", eventId: "\(id)-acc-\(k)")))
        }
        return steps
    }

    @Test func theEventPastTheHistoryCapRefusesTheTicketAndStopsItsRunningClocks() throws {
        var d = TrackerDriver(limits: TrackerLimits(maxHistory: 10))
        // 2 + 8 = 10 events are kept; the 11th (10:19) is one too many.
        let steps = try complaint(&d, "C1", acceptances: 9)
        #expect(steps.prefix(10).allSatisfy { $0.disposition == .applied })
        let last = try #require(steps.last)
        #expect(last.disposition == .refused("refused: its history would exceed 10 events (worker.max_history)"))
        let stopped = last.emitted
        #expect(stopped.map { "\($0.type.rawValue) \($0.stage)" } == ["sla.stopped complaint.resolution"])
        let s = try #require(stopped.first)
        #expect(s.reason == "oversized" && s.reasonText == "refused: its history would exceed 10 events (worker.max_history)")
        #expect(s.occurredAt == Fixtures.t("2026-11-20T10:19") && s.startedAt == Fixtures.t("2026-11-20T10:00"))
        #expect(s.deadline == Fixtures.t("2026-11-28T00:00") && s.elapsed == .minutes(19))
        #expect(s.eventId == "ticket:C1:complaint.resolution@20261120T020000Z:sla.stopped@20261120T021900Z")
        // A stop counts nothing against the unit: its outcome is voided.
        #expect(Outcome(s)?.result == .voided)
        // Nothing more fires for it: no warning, no overdue, no escalation.
        let before = d.events("C1").count
        d.advance(to: Fixtures.t("2026-12-10T00:00"))
        #expect(d.events("C1").count == before)
        let state = try #require(d.tracker.state(of: SubjectID(.ticket, "C1")))
        #expect(state.facts.isEmpty && state.runningStages.isEmpty && state.refusal != nil)
    }

    @Test func laterEventsOfARefusedTicketAreRefusedAndOtherTicketsGoOn() throws {
        var d = TrackerDriver(limits: TrackerLimits(maxHistory: 10))
        _ = try complaint(&d, "C1", acceptances: 9)
        #expect(throws: EventRejection(field: nil, #"ticket "C1" was refused at 2026-11-20T02:19:00Z (its history would exceed 10 events (worker.max_history)); its events are no longer processed"#)) {
            try d.apply(ticket("C1", .complaint, .resolved, "2026-11-21T10:00"))
        }
        let steps = try complaint(&d, "C2", acceptances: 3)
        #expect(steps.allSatisfy { $0.disposition == .applied })
        #expect(d.events("C2").contains { $0.type == .started && $0.stage == "complaint.resolution" })
    }

    @Test func theRefusalIsStoredAndForgottenAfterTheIdleRetention() throws {
        var d = TrackerDriver(limits: TrackerLimits(maxHistory: 10))
        _ = try complaint(&d, "C1", acceptances: 9)
        let id = SubjectID(.ticket, "C1")
        let bytes = try #require(d.tracker.encodedState(of: id))
        #expect(bytes.count < 200)
        let decoded = try StateCodec.decode(bytes, policy: Fixtures.policy)
        #expect(decoded == d.tracker.state(of: id))
        // Kept 60 days (the tracker's idle retention) from the refusal, then forgotten.
        d.advance(to: Fixtures.t("2027-01-19T10:18"))
        #expect(!d.forgotten.contains(id))
        d.advance(to: Fixtures.t("2027-01-19T10:19"))
        #expect(d.forgotten.contains(id))
        #expect(d.tracker.state(of: id) == nil)
    }

    @Test func noKeptStateEverEncodesLargerThanTheStateLimit() throws {
        // 128-byte names on every event make each fact about 300 bytes stored: a 6 000-byte
        // limit refuses the ticket after some twenty; every state kept before is within it.
        let limit = 6_000
        var d = TrackerDriver(limits: TrackerLimits(maxHistory: 10_000, maxStateBytes: limit))
        let name = String(repeating: "n", count: 128)
        let id = SubjectID(.ticket, "C1")
        var refusedAt: Int?
        for k in 0..<200 {
            var t = TicketEvent(eventId: "e\(k)", ticketId: "C1", kind: .complaint, action: k == 0 ? .created : .accepted,
                                occurredAt: Fixtures.t("2026-11-20T10:00").adding(.minutes(Int64(k))), unit: name)
            t.agent = name; t.feeder = name; t.area = name
            let step = try d.apply(.ticket(t))
            if case .refused = step.disposition { refusedAt = k; break }
            let stored = try #require(d.tracker.encodedState(of: id))
            #expect(stored.count <= limit, "event \(k): \(stored.count) bytes")
        }
        let k = try #require(refusedAt)
        #expect(k >= 5 && k < 40)
    }

    @Test func aStateOfFormatFourStillDecodes() throws {
        // A history without cycle records: what formats 4 to 6 store after the header and facts
        // is then only trailers (cycle records changed in 6; StateCodecTests covers them).
        var state = SubjectState(kind: .complaint)
        var f = Fact(eventHash: 7, time: Fixtures.t("2026-11-20T10:00"), action: .created)
        f.unit = "U1"; f.agent = "A1"
        state.insert(f)
        state.filesTag = 42
        var bytes = StateCodec.encode(state, policy: Fixtures.policy)
        // Format 5 is format 6 without the link trailer (no time, empty related ticket) …
        #expect(bytes.suffix(3) == [0, 0, 0])
        bytes.removeLast(2)
        bytes[0] = 5
        #expect(try StateCodec.decode(bytes, policy: Fixtures.policy) == state)
        // … and format 4 is format 5 without the trailing refusal byte.
        bytes.removeLast()
        bytes[0] = 4
        #expect(try StateCodec.decode(bytes, policy: Fixtures.policy) == state)
    }
}
