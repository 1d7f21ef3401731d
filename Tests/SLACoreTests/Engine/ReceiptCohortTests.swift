import Testing
@testable import SLACore

/// 处理率 and 答复率 are shares of the tickets received in a window: a ticket's handling and its
/// answer count in the windows of its receipt (contract v1.5, `received_at`), so no window shows
/// more handled than received. Every figure below is counted by hand from the events.
@Suite struct ReceiptCohortTests {
    static func line(_ id: String, _ action: String, _ local: String, _ extra: String = "") -> InboundEvent {
        let text = #"{"event_id":"\#(id)-\#(action)","ticket_id":"\#(id)","kind":"complaint","action":"\#(action)","occurred_at":"\#(local):00+08:00""#
            + (extra.isEmpty ? "" : "," + extra) + "}"
        return try! EventDecoder.any(Array(text.utf8))
    }

    /// The unit-view volume cells after `events` (fed in order), by window label.
    static func volumes(_ events: [InboundEvent], grain: RollupGrain) throws -> [String: RollupCell] {
        let policy = Fixtures.policy
        var engine = ReplayEngine(tracker: SLATracker(policy: policy, calendar: Fixtures.calendar),
                                  rollups: RollupBook(calendar: Fixtures.calendar, rule: policy.scorecard, retention: .days(40)))
        for e in events { _ = try engine.feed(e) }
        let taken = engine.takeRollups()
        let changes = try #require(taken)
        var out: [String: RollupCell] = [:]
        for (key, cell) in changes.cells where key.view == .unit && key.stage == "volume" && key.window.grain == grain {
            out[key.window.label] = cell
        }
        return out
    }

    @Test func aTicketReceivedLateOnTheThirtiethAndHandledOnTheFirstIsHandledOnTheThirtieth() throws {
        let events = [
            Self.line("A", "created", "2026-11-30T23:00", #""unit":"Dept-A""#),
            Self.line("A", "resolved", "2026-12-01T01:00"),
            Self.line("A", "callback", "2026-12-01T02:00", #""satisfaction":5"#),
            Self.line("B", "created", "2026-12-01T09:00", #""unit":"Dept-A""#),
            Self.line("B", "resolved", "2026-12-01T10:00"),
        ]
        let days = try Self.volumes(events, grain: .day)
        // 30 Nov: A received, handled (at 01:00 the next day) and answered → 1/1 and 1/1.
        let nov30 = try #require(days["2026-11-30"])
        #expect([nov30.received, nov30.handled, nov30.answered] == [1, 1, 1])
        #expect(nov30.handledRate == 1 && nov30.answeredRate == 1)
        // 1 Dec: B received and handled, not answered → 1/1 and 0/1 (counted at the handling,
        // A's handling made this 2 of 1 received: 200 %).
        let dec1 = try #require(days["2026-12-01"])
        #expect([dec1.received, dec1.handled, dec1.answered] == [1, 1, 0])
        #expect(dec1.handledRate == 1 && dec1.answeredRate == 0)
        let months = try Self.volumes(events, grain: .month)
        #expect(try #require(months["2026-11"]).handled == 1 && months["2026-12"]?.handled == 1)
    }

    @Test func aReceiptPastTheRetentionCountsItsHandlingAtTheHandlingsOwnTime() throws {
        // Received 50 days before it is handled; the book keeps 40: October's windows are gone.
        let events = [
            Self.line("C", "created", "2026-10-10T09:00", #""unit":"Dept-A""#),
            Self.line("C", "resolved", "2026-11-29T09:00"),
        ]
        let days = try Self.volumes(events, grain: .day)
        #expect(days["2026-11-29"]?.handled == 1, "counted, not lost")
        #expect(days["2026-10-10"]?.handled ?? 0 == 0)
    }

    @Test func theReceiptTravelsWithTheOutcomeAndItsStoredSlot() throws {
        let policy = Fixtures.policy
        var tracker = SLATracker(policy: policy, calendar: Fixtures.calendar)
        _ = try tracker.apply(Self.line("A", "created", "2026-11-30T23:00", #""unit":"Dept-A""#), now: Fixtures.t("2026-11-30T23:00"), outages: NoKnownOutages())
        let step = try tracker.apply(Self.line("A", "resolved", "2026-12-01T01:00"), now: Fixtures.t("2026-12-01T01:00"), outages: NoKnownOutages())
        let handled = try #require(step.outcomes.first { $0.result == .handled })
        #expect(handled.receivedAt == Fixtures.t("2026-11-30T23:00"))
        // Through the topic's JSON and back.
        let decoded = try Outcome.decode(handled.json(calendar: Fixtures.calendar))
        #expect(decoded.receivedAt == handled.receivedAt)
        // Through the book's state: a later handling after a restore leaves the 30th, not the 1st.
        var book = RollupBook(calendar: Fixtures.calendar, rule: policy.scorecard, retention: .days(40))
        _ = book.apply(handled, view: .unit, now: Fixtures.t("2026-12-01T01:00"))
        var restored = RollupBook(calendar: Fixtures.calendar, rule: policy.scorecard, retention: .days(40))
        #expect(restored.restore(book.takeChanges().state.compactMap { k, v in v.map { (k, $0) } }).isEmpty)
        var later = handled
        later.outcomeId = "ticket:A:volume:A-closed"
        later.at = Fixtures.t("2026-12-02T08:00")
        #expect(restored.apply(later, view: .unit, now: Fixtures.t("2026-12-02T08:00")) == .corrected)
        let nov30 = try #require(restored.takeChanges().cells.first { $0.key.window.label == "2026-11-30" && $0.key.stage == "volume" })
        #expect(nov30.cell.handled == 1, "the old handling left and the new one came, both on the 30th")
    }
}
