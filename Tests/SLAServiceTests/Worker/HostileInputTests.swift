import Foundation
import Testing
import SLACore
import SLAKafka
import SLAService
import SLATestSupport

/// Records that used to stop the worker (issue 22's probes) against a development broker: each
/// is dead-lettered with its reason, and the worker goes on serving other tickets.
@Suite(.serialized) struct HostileInputTests {
    /// A raw ticket event with a given unit and agent (no other attributes).
    private func event(_ id: String, unit: String, agent: String? = nil, at t: Timestamp) -> [UInt8] {
        let a = agent.map { #","agent":"\#($0)""# } ?? ""
        return Array(#"{"event_id":"\#(id)-created","ticket_id":"\#(id)","kind":"fault_repair","action":"created","occurred_at":"\#(RFC3339.format(t, offsetSeconds: 8 * 3600))","region":"urban","unit":"\#(unit)"\#(a)}"#.utf8)
    }

    private func reason(_ r: ConsumerRecord) -> String {
        String(decoding: r.headers.first { $0.name == "slawatch.reason" }?.value ?? [], as: UTF8.self)
    }

    @Test func theProbesOversizedEventsAreDeadLetteredAndOtherTicketsAreServed() throws {
        let c = try EndToEndCluster(partitions: 2)
        let worker = try c.startedWorker(policy: try SecondsPolicy.policy())
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        let now = SystemClock.read()
        // As the probe's 999 950 bytes (a 499 900-character unit and agent), less what the
        // development broker's framing needs to take it: 499 500 characters each; then a
        // 900 000-character unit.
        let half = String(repeating: "u", count: 499_500)
        let first = event("BIG1", unit: half, agent: half, at: now)
        #expect(first.count > 999_000 && first.count < 1_000_000)
        // One at a time: the broker takes a batch of about 1 MB.
        try c.send([("BIG1", first)])
        try c.send([("BIG2", event("BIG2", unit: String(repeating: "v", count: 900_000), at: now))])
        try c.send([("F1", c.ticket("F1", "created", at: now)), ("F1", c.ticket("F1", "dispatched", at: now.adding(.seconds(1))))])
        var letters: [ConsumerRecord] = []
        var f1: [Output] = []
        let done = try EndToEndCluster.waitUntil(seconds: 30) {
            letters = try c.deadLetters()
            f1 = try c.outputs().filter { $0.string("ticket_id") == "F1" }
            return letters.count >= 2 && f1.contains { $0.type == "sla.met" && $0.string("stage") == "repair.dispatch" }
        }
        #expect(done, "dead letters \(letters.count), F1 \(f1.map(\.type))")
        #expect(Set(letters.map(reason)) == ["unit: 499500 bytes long; at most 128 are accepted", "unit: 900000 bytes long; at most 128 are accepted"])
        for r in letters {
            // The dead letter itself fits the producer's default message.max.bytes, cut where it must be.
            let headers: Int = r.headers.reduce(0) { (n: Int, h) in n + h.name.utf8.count + (h.value?.count ?? 0) }
            let size: Int = (r.value?.count ?? 0) + (r.key?.count ?? 0) + headers
            #expect(size < 1_000_000)
        }
        // The worker is still up a moment later and never produced the oversized outputs.
        Thread.sleep(forTimeInterval: 1)
        #expect(worker.isReady)
        #expect(!(try c.outputs()).contains { $0.string("ticket_id")?.hasPrefix("BIG") == true })
        #expect(worker.stats.deadLettered == 2 && worker.stats.oversizedRecords == 0)
    }

    @Test func aTicketPastTheHistoryCapIsRefusedItsClockStoppedAndTheRestGoOn() throws {
        let c = try EndToEndCluster(partitions: 2)
        var config = c.config
        config.worker.maxHistory = 20
        let worker = try SLAWorker(config: config, policy: try SecondsPolicy.policy(), calendar: try DefaultFiles.calendar())
        try worker.start()
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        try c.warmUp(worker)
        let now = SystemClock.read()
        // A complaint (dispatch due in 30 s) and 24 acceptances: 25 events, 20 kept.
        var events = [("C1", c.ticket("C1", "created", at: now, kind: "complaint"))]
        for k in 1...24 { events.append(("C1", c.ticket("C1", "accepted", at: now.adding(TimeSpan(milliseconds: Int64(k))), kind: "complaint"))) }
        try c.send(events.map { (key: $0.0, value: $0.1) })
        try c.send([("F1", c.ticket("F1", "created", at: now)), ("F1", c.ticket("F1", "dispatched", at: now.adding(.seconds(1))))])
        var letters: [ConsumerRecord] = []
        var outputs: [Output] = []
        _ = try EndToEndCluster.waitUntil(seconds: 30) {
            letters = try c.deadLetters()
            outputs = try c.outputs()
            return letters.count >= 5 && outputs.contains { $0.string("ticket_id") == "F1" && $0.type == "sla.met" }
        }
        // Events 21 to 25 are dead-lettered: the first refuses the ticket, the rest find it refused.
        #expect(letters.count == 5)
        #expect(letters.map(reason).first == "refused: its history would exceed 20 events (worker.max_history)")
        #expect(letters.map(reason).dropFirst().allSatisfy { $0.hasPrefix(#"ticket "C1" was refused at "#) })
        let stopped = outputs.filter { $0.string("ticket_id") == "C1" && $0.type == "sla.stopped" }
        #expect(stopped.map { $0.string("stage") } == ["appeal.dispatch"])
        #expect(stopped.first?.string("reason") == "oversized")
        #expect(worker.stats.refusedSubjects == 1)
        #expect(outputs.contains { $0.string("ticket_id") == "F1" && $0.type == "sla.met" })
    }
}
