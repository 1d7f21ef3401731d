import Foundation
import Testing
import SLACore
import SLAKafka
import SLAService
import SLATestSupport

/// The daemon publishes what replay emits for the seed rules' scenarios (late outage link,
/// out-of-order events, a notice never made, a return after accepting, a re-dispatched
/// complaint), on the development broker with the shipped policy. Each step is sent once the
/// previous one's effect is out, so both see the same arrival order.
@Suite(.serialized) struct SeedScenarioParityTests {
    /// What replay emits for the steps in this order, every event arriving at `wall`.
    static func replayed(_ steps: [SeedStep], wall: Timestamp) throws -> Set<String> {
        var engine = ReplayEngine(tracker: SLATracker(policy: try DefaultFiles.policy(), calendar: try DefaultFiles.calendar()))
        var out = engine.advance(to: wall)
        for s in steps {
            for l in s.tickets + s.outages { out += try engine.feed(try EventDecoder.any(Array(l.utf8))) }
        }
        out += engine.advance(to: wall)
        let calendar = try DefaultFiles.calendar()
        return Set(out.map { "\($0.eventId) \($0.type.rawValue) \(calendar.format($0.occurredAt))" })
    }

    @Test func theDaemonPublishesWhatReplayEmits() throws {
        let c = try EndToEndCluster(partitions: 2)
        let worker = try c.startedWorker(policy: try DefaultFiles.policy())
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        let wall = SystemClock.read()
        var expected = Set<String>()
        func published() throws -> Set<String> {
            // The warm-up's praise (timed by the shipped policy) is not part of the scenarios.
            Set(try c.outputs().filter { $0.string("ticket_id") != "warm-up" }.map { "\($0.eventId) \($0.type) \($0.string("occurred_at") ?? "")" })
        }
        for (name, steps) in SeedScenarios.all {
            expected.formUnion(try Self.replayed(steps, wall: wall))
            for (i, s) in steps.enumerated() {
                let before = try published()
                try c.send(s.tickets.map { line in (try! EventDecoder.any(Array(line.utf8)).subject.id, Array(line.utf8)) })
                try c.send(s.outages.map { line in (try! EventDecoder.any(Array(line.utf8)).subject.id, Array(line.utf8)) }, topic: c.settings.outagesTopic)
                // The step's effect is out (and has settled) before the next step goes.
                var last = before
                #expect(try EndToEndCluster.waitUntil(seconds: 20) {
                    let now = try published()
                    defer { last = now }
                    return now.count > before.count && now == last
                }, "\(name) step \(i + 1) had no effect")
            }
        }
        var got = Set<String>()
        _ = try EndToEndCluster.waitUntil(seconds: 20) { got = try published(); return got.isSuperset(of: expected) }
        #expect(got == expected, "missing \(expected.subtracting(got).sorted().prefix(6)); extra \(got.subtracting(expected).sorted().prefix(6))")
        // The late link and the reordered events left nothing standing that replay withdrew.
        #expect(got.contains { $0.contains("ticket:S-LNK:link:sla.linked") })
        #expect(worker.stats.linkedLate == 1, "S-LNK, linked when its outage came")
        #expect(got.filter { $0.contains(":S-ORD:") && $0.contains("sla.retracted") }.count == 4)
        // GET /tickets/{id}'s answer for a held ticket names its cycles; a ticket not held, its partition.
        guard case .held(let bytes) = worker.ticket("S-RET") else { Issue.record("S-RET not held"); return }
        let explained = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let cycles = try #require(explained["cycles"] as? [[String: Any]])
        #expect(cycles.contains { $0["stage"] as? String == "repair.return" && $0["verdict"] as? String == "missed" && $0["charged_to"] as? String == "GDS-A" })
        guard case .elsewhere(let p, _, let owned) = worker.ticket("NOT-HERE") else { Issue.record("NOT-HERE answered held"); return }
        #expect((0..<2).contains(p) && owned == [0, 1])

        // Every record the daemon published fits the contract's schema (docs/schemas), and so
        // does the dead letter of a record it refuses.
        try c.send([("S-BAD", Array(#"{"event_id":"x","ticket_id":"S-BAD","kind":"complaint"}"#.utf8))])
        #expect(try EndToEndCluster.waitUntil(seconds: 20) {
            try !c.records(c.settings.deadLetterTopic).isEmpty && !c.records(c.settings.rollupsTopic).isEmpty
        })
        var cases: [ContractSchemas.Case] = []
        for topic in [c.settings.eventsTopic, c.settings.escalationsTopic, c.settings.outcomesTopic, c.settings.rollupsTopic] {
            for r in try c.records(topic) {
                guard let o = ContractSchemas.object(r.value) else { Issue.record("\(topic)@\(r.offset) is not a JSON object"); continue }
                cases.append(.init(ContractSchemas.schema(ofOutput: o), o, what: "\(topic)@\(r.offset)"))
            }
        }
        for r in try c.records(c.settings.deadLetterTopic) {
            cases.append(.init("dead-letter.json", ContractSchemas.deadLetter(key: r.key, headers: r.headers.map { ($0.name, $0.value) }), what: "dead letter"))
        }
        #expect(Set(cases.map(\.schema)).isSuperset(of: ["sla-event.json", "outcome.json", "rollup-cell.json", "scorecard.json", "verdict-row.json", "dead-letter.json"]))
        let (valid, report) = try ContractSchemas.check(cases)
        #expect(valid, "\(report)")
    }
}
