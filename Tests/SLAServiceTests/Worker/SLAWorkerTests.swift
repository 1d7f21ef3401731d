import Foundation
import Testing
import SLACore
import SLAKafka
import SLAService
import SLATestSupport

/// End-to-end: the worker against a development broker, in real time with limits in seconds.
@Suite(.serialized) struct SLAWorkerTests {
    /// The scenario: four fault tickets that go differently. Events are sent live, at least
    /// 500 ms away from any alarm, so delivery latency cannot reorder an event and an alarm.
    /// - F1 dispatched in time and on site in time: started/met only.
    /// - F2 never dispatched: dispatch warning at +1 s, overdue and urge at +2 s (exactly).
    /// - F3 dispatched in time (after the warning), crew late: arrival overdue + urge at
    ///   dispatch + 3 s, supervisor at + 4 s, then missed.
    /// - F4 dispatched late (after the deadline): dispatch overdue, then missed.
    static func scenario(_ c: EndToEndCluster, base: Timestamp) -> [(key: String?, value: [UInt8])] {
        func t(_ ms: Int64) -> Timestamp { base.adding(TimeSpan(milliseconds: ms)) }
        return [
            ("F1", c.ticket("F1", "created", at: t(0))), ("F1", c.ticket("F1", "dispatched", at: t(300))),
            ("F1", c.ticket("F1", "arrived", at: t(1300))),
            ("F2", c.ticket("F2", "created", at: t(0))),
            ("F3", c.ticket("F3", "created", at: t(0))), ("F3", c.ticket("F3", "dispatched", at: t(1400))),
            ("F3", c.ticket("F3", "arrived", at: t(6000))),
            ("F4", c.ticket("F4", "created", at: t(0))), ("F4", c.ticket("F4", "dispatched", at: t(2500))),
        ]
    }

    /// What the tracker alone (replay, no Kafka) emits for the same events, by event id, with
    /// deadline and occurred_at as the worker writes them.
    static func expected(_ events: [(key: String?, value: [UInt8])], until: Timestamp) throws -> [String: (deadline: String?, occurred: String)] {
        let calendar = try DefaultFiles.calendar()
        var engine = ReplayEngine(tracker: SLATracker(policy: try SecondsPolicy.policy(), calendar: calendar))
        var out: [SLAEvent] = []
        for e in events.sorted(by: { try! EventDecoder.any($0.value).occurredAt < EventDecoder.any($1.value).occurredAt }) {
            out += try engine.feed(try EventDecoder.any(e.value))
        }
        out += engine.advance(to: until)
        return Dictionary(uniqueKeysWithValues: out.map { ($0.eventId, ($0.deadline.map(calendar.format), calendar.format($0.occurredAt))) })
    }

    @Test func aScriptedScenarioGivesExactlyTheExpectedEvents() throws {
        let c = try EndToEndCluster(partitions: 2)
        let worker = try c.startedWorker(policy: try SecondsPolicy.policy())
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        let base = Timestamp(milliseconds: (SystemClock.read().milliseconds / 1000 + 1) * 1000)
        let events = Self.scenario(c, base: base)
        // Sent as they happen, so the clocks run live rather than being caught up.
        for e in events.sorted(by: { try! EventDecoder.any($0.value).occurredAt < EventDecoder.any($1.value).occurredAt }) {
            let at = try EventDecoder.any(e.value).occurredAt
            let wait = Double(at.milliseconds - SystemClock.read().milliseconds) / 1000
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            try c.send([e])
        }
        let end = base.adding(.seconds(9))
        let expected = try Self.expected(events, until: end)
        #expect(expected.count >= 20)
        var got: [Output] = []
        _ = try EndToEndCluster.waitUntil(seconds: 20) {
            got = try c.outputs()
            return Set(got.map(\.eventId)).isSuperset(of: expected.keys) && SystemClock.read() > end
        }
        #expect(Set(got.map(\.eventId)) == Set(expected.keys), "missing: \(Set(expected.keys).subtracting(got.map(\.eventId)).sorted()) extra: \(Set(got.map(\.eventId)).subtracting(expected.keys).sorted())")
        #expect(got.count == expected.count, "repeats without a crash")
        for o in got {
            guard let e = expected[o.eventId] else { continue }
            #expect(o.string("deadline") == e.deadline && o.string("occurred_at") == e.occurred, "\(o.eventId)")
            #expect(o.key == o.string("ticket_id"))
            let toOps = ["sla.warning", "sla.overdue", "sla.escalated"].contains(o.type)
            #expect(o.topic == (toOps ? c.settings.escalationsTopic : c.settings.eventsTopic), "\(o.eventId) on \(o.topic)")
        }
        // Checked by hand, not by the model: F2's dispatch deadline is created + 2 s, and its
        // overdue and urge happen exactly then.
        let calendar = try DefaultFiles.calendar()
        let f2Deadline = calendar.format(base.adding(.seconds(2)))
        let f2 = got.filter { $0.string("ticket_id") == "F2" }
        #expect(Set(f2.map(\.type)) == ["sla.started", "sla.warning", "sla.overdue", "sla.escalated"])
        #expect(f2.allSatisfy { $0.string("deadline") == f2Deadline })
        #expect(f2.first { $0.type == "sla.overdue" }?.string("occurred_at") == f2Deadline)
        #expect(f2.first { $0.type == "sla.warning" }?.string("occurred_at") == calendar.format(base.adding(.seconds(1))))
        // F3's crew: dispatched at +1.4 s, deadline +4.4 s, supervisor at +5.4 s, missed at +6 s.
        let f3 = got.filter { $0.string("ticket_id") == "F3" && $0.string("stage") == "repair.arrival" }
        #expect(f3.first { $0.type == "sla.escalated" && $0.string("level") == "supervisor" }?.string("occurred_at") == calendar.format(base.adding(TimeSpan(milliseconds: 5400))))
        #expect(f3.first { $0.type == "sla.missed" }.map { $0.fields["elapsed_seconds"] as? Double } == 4.6)
    }

    @Test func everyStageEndAndCallbackBecomesAnOutcomeKeyedByUnit() throws {
        let c = try EndToEndCluster(partitions: 2)
        let worker = try c.startedWorker(policy: try SecondsPolicy.policy())
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        let t = SystemClock.read()
        // The callback carries no unit: the outcome takes it from the ticket's history.
        let callback = Array(#"{"event_id":"cb-1","ticket_id":"Q1","kind":"fault_repair","action":"callback","occurred_at":"\#(RFC3339.format(t.adding(TimeSpan(milliseconds: 400)), offsetSeconds: 0))","satisfaction":4}"#.utf8)
        try c.send([("Q1", c.ticket("Q1", "created", at: t)), ("Q1", c.ticket("Q1", "dispatched", at: t.adding(TimeSpan(milliseconds: 300)))),
                    ("Q1", callback), ("Q2", c.ticket("Q2", "created", at: t))])
        var outcomes: [(key: String, fields: [String: Any])] = []
        #expect(try EndToEndCluster.waitUntil(seconds: 10) {
            outcomes = try c.outcomes()
            return outcomes.contains { $0.fields["ticket_id"] as? String == "Q2" && $0.fields["result"] as? String == "overdue" }
        })
        let events = try c.outputs()
        func find(_ ticket: String, _ result: String) -> [String: Any]? { outcomes.first { $0.fields["ticket_id"] as? String == ticket && $0.fields["result"] as? String == result }?.fields }
        let met = try #require(find("Q1", "met"))
        #expect(met["stage"] as? String == "repair.dispatch" && met["elapsed_seconds"] as? Double == 0.3)
        #expect(events.contains { $0.eventId == met["outcome_id"] as? String && $0.type == "sla.met" }, "an outcome is named by its SLA event")
        let cb = try #require(find("Q1", "callback"))
        #expect(cb["satisfaction"] as? Int == 4 && cb["unit"] as? String == "U1" && cb["stage"] as? String == "closure")
        let overdue = try #require(find("Q2", "overdue"))
        #expect(overdue["deadline"] as? String == (try DefaultFiles.calendar()).format(t.adding(.seconds(2))))
        #expect(outcomes.allSatisfy { $0.key == "U1" }, "keyed by unit")
        #expect(!outcomes.contains { $0.fields["result"] as? String == "started" })
    }
}
