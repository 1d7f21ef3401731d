import Foundation
import Testing
import SLACore
import SLAKafka
import SLAService
import SLATestSupport

/// End-to-end with faults: malformed input, partitions moving, a stop across deadlines.
@Suite(.serialized) struct SLAWorkerFaultTests {
    @Test func malformedRecordsGoToTheDeadLetterTopicAndTheRestIsProcessed() throws {
        let c = try EndToEndCluster(partitions: 2)
        let worker = try c.startedWorker(policy: try SecondsPolicy.policy())
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        let now = SystemClock.read()
        let bad: [(key: String?, value: [UInt8])] = [
            ("B1", Array("not json at all".utf8)),
            ("B2", [0xFF, 0xFE, 0x00]),
            ("B3", Array(#"{"event_id":"b3","ticket_id":"B3","kind":"faultrepair","action":"created","occurred_at":"2026-11-22T08:00:00+08:00"}"#.utf8)),
            ("B4", Array(#"{"event_id":"b4","ticket_id":"B4","kind":"fault_repair","action":"created","occurred_at":"2026-13-01T00:00"}"#.utf8)),
            ("other", c.ticket("B5", "created", at: now)),
            (nil, c.ticket("B6", "created", at: now)),
        ]
        try c.send(bad + [("G1", c.ticket("G1", "created", at: now))])
        var letters: [ConsumerRecord] = []
        #expect(try EndToEndCluster.waitUntil(seconds: 15) { letters = try c.deadLetters(); return letters.count >= 6 })
        #expect(letters.count == 6)
        func header(_ r: ConsumerRecord, _ n: String) -> String? {
            r.headers.first { $0.name == n }?.value.map { String(decoding: $0, as: UTF8.self) }
        }
        let reasons = Dictionary(uniqueKeysWithValues: letters.map { (String(decoding: $0.key ?? Array("(none)".utf8), as: UTF8.self), header($0, "slawatch.reason") ?? "") })
        #expect(reasons["B1"]?.hasPrefix("not JSON") == true, "\(reasons)")
        #expect(reasons["B2"] == "not UTF-8 text")
        #expect(reasons["B3"]?.hasPrefix(#"kind: unknown value "faultrepair""#) == true)
        #expect(reasons["B4"]?.hasPrefix("occurred_at: not an RFC 3339 timestamp") == true)
        #expect(reasons["other"]?.hasPrefix(#"key: "other", but the record's ticket_id is "B5""#) == true)
        #expect(reasons["(none)"]?.hasPrefix("key: missing") == true)
        for r in letters {
            // The original bytes, and where they came from.
            let original = bad.first { $0.key == r.key.map { String(decoding: $0, as: UTF8.self) } }
            #expect(r.value == original?.value)
            #expect(header(r, "slawatch.source.topic") == c.settings.ticketsTopic)
            #expect(header(r, "slawatch.source.partition").flatMap { Int32($0) }.map { (0..<2).contains($0) } == true)
            #expect(header(r, "slawatch.source.offset").flatMap { Int64($0) } != nil)
        }
        // The good record after them was processed.
        #expect(try EndToEndCluster.waitUntil(seconds: 10) { try c.outputs().contains { $0.string("ticket_id") == "G1" && $0.type == "sla.started" } })
        #expect(worker.stats.deadLettered == 6)
    }

    @Test func clocksSurviveAWorkerJoiningAndOneLeaving() throws {
        let c = try EndToEndCluster(partitions: 6)
        let policy = try SecondsPolicy.policy()
        let w1 = try c.worker(policy: policy), w2 = try c.worker(policy: policy)
        try w1.start(); try w2.start()
        var running = [w1, w2]
        defer { c.stopInTurn(running) }
        try c.warmUp(w1, w2)
        // Complaints due in 30 s: their clocks must survive the moves below. Six ticket, six
        // outage and the outcome partitions are shared among the workers.
        let total = 12 + Int(EndToEndCluster.outcomePartitions)
        let base = SystemClock.read()
        let ids = (1...40).map { "C\($0)" }
        try c.send(ids.map { ($0, c.ticket($0, "created", at: base, kind: "complaint")) })
        #expect(EndToEndCluster.waitUntil(seconds: 10) { w1.stats.subjects + w2.stats.subjects == 40 })
        let w3 = try c.worker(policy: policy)
        try w3.start()
        running = [w3, w2, w1]
        // The third takes partitions over (with their state) … A rebalance on a loaded 2-core
        // machine can take longer than the session timeout's share; the wait ends when it is done.
        #expect(EndToEndCluster.waitUntil(seconds: 40) { w3.stats.partitions > 0 && w1.stats.partitions + w2.stats.partitions + w3.stats.partitions == total })
        #expect(w3.stats.subjects > 0)
        // … and the first leaves; the others take its partitions.
        w1.stop()
        #expect(w1.waitUntilStopped().isSuccess)
        running = [w3, w2]
        #expect(EndToEndCluster.waitUntil(seconds: 40) { w2.stats.partitions + w3.stats.partitions == total && w2.stats.subjects + w3.stats.subjects == 40 })
        #expect(SystemClock.read() < base.adding(.seconds(30)), "the moves finished before the deadlines")
        var got: [Output] = []
        #expect(try EndToEndCluster.waitUntil(seconds: 40) {
            got = try c.outputs().filter { $0.type == "sla.overdue" }
            return Set(got.compactMap { $0.string("ticket_id") }) == Set(ids)
        })
        let deadline = try DefaultFiles.calendar().format(base.adding(.seconds(30)))
        #expect(got.allSatisfy { $0.string("deadline") == deadline && $0.string("occurred_at") == deadline })
        // Repeats are allowed only as the identical event.
        #expect(Set(got.map(\.eventId)).count == 40)
    }

    /// With one owner catch-up fires in deadline order; with two (one per partition here) in
    /// deadline order within each partition, and the two owners together stay within the rate.
    @Test(arguments: [1, 2]) func deadlinesThatPassWhileNoWorkerRunsFireAtRestoreInOrderAndPaced(owners: Int) throws {
        let c = try EndToEndCluster(partitions: 2)
        let policy = try SecondsPolicy.policy()
        let first = try c.startedWorker(policy: policy)
        let base = SystemClock.read()
        // Ten fault tickets created 100 ms apart from base + 1 s: dispatch deadlines base + 3.0 s … 3.9 s.
        let ids = (0..<10).map { "K\($0)" }
        try c.send(ids.enumerated().map { i, id in (id, c.ticket(id, "created", at: base.adding(TimeSpan(milliseconds: 1000 + Int64(i) * 100)))) })
        #expect(EndToEndCluster.waitUntil(seconds: 5) { first.stats.subjects == 10 })
        first.stop()
        #expect(first.waitUntilStopped().isSuccess)
        #expect(SystemClock.read() < base.adding(.seconds(3)), "stopped before the first deadline")
        Thread.sleep(forTimeInterval: max(0, Double(base.adding(.seconds(5)).milliseconds - SystemClock.read().milliseconds) / 1000))
        var settings = c.settings
        settings.catchUpRate = 5
        settings.owners = owners
        let restarted = try SLAWorker(config: SlawatchConfig(kafka: c.config.kafka, worker: settings), policy: policy,
                                      calendar: try DefaultFiles.calendar())
        let restartedAt = SystemClock.read()
        try restarted.start()
        defer { restarted.stop(); _ = restarted.waitUntilStopped() }
        var overdue: [Output] = []
        #expect(try EndToEndCluster.waitUntil(seconds: 20) {
            overdue = try c.outputs().filter { $0.type == "sla.overdue" }
            return overdue.count == 10
        })
        let calendar = try DefaultFiles.calendar()
        let byTicket = Dictionary(uniqueKeysWithValues: overdue.map { ($0.string("ticket_id")!, $0) })
        var lastDetected: [Int32: Timestamp] = [:]  // by the owner's partition group
        for (i, id) in ids.enumerated() {
            let o = try #require(byTicket[id])
            let deadline = base.adding(TimeSpan(milliseconds: 3000 + Int64(i) * 100))
            #expect(o.string("deadline") == calendar.format(deadline))
            #expect(o.string("occurred_at") == calendar.format(deadline))
            let detected = try #require(o.string("detected_at").flatMap { RFC3339.parse($0)?.0 })
            #expect(detected >= restartedAt.adding(.seconds(-1)), "found at restore, not before: \(o.fields)")
            // Deadline order, paced at 5 firings per second (owner = partition % owners).
            let group = KeyPartition.crc32(id, partitions: 2) % Int32(owners)
            if let last = lastDetected[group] { #expect(detected >= last, "\(id) of partition group \(group)") }
            lastDetected[group] = detected
        }
        let times = overdue.compactMap { $0.string("detected_at").flatMap { RFC3339.parse($0)?.0 } }.sorted()
        #expect(times.last!.since(times.first!).milliseconds >= 1_200, "10 firings at 5/s take well over a second")
    }
}

extension SLAWorkerFaultTests {
    @Test func inputWaitingAtRestoreIsReadBeforeAnyTimerFires() throws {
        let c = try EndToEndCluster(partitions: 2)
        let policy = try SecondsPolicy.policy()
        let first = try c.startedWorker(policy: policy)
        let base = SystemClock.read()
        let ids = (0..<6).map { "W\($0)" }
        try c.send(ids.map { ($0, c.ticket($0, "created", at: base)) })
        #expect(EndToEndCluster.waitUntil(seconds: 5) { first.stats.subjects == 6 })
        first.stop()
        #expect(first.waitUntilStopped().isSuccess)
        // While nobody runs, the dispatches of half the tickets arrive: in time by their own
        // clock (base + 0.5 s), though written after the deadline (base + 2 s) has passed.
        Thread.sleep(forTimeInterval: max(0, Double(base.adding(.seconds(3)).milliseconds - SystemClock.read().milliseconds) / 1000))
        try c.send(ids.prefix(3).map { ($0, c.ticket($0, "dispatched", at: base.adding(TimeSpan(milliseconds: 500)))) })
        let second = try c.worker(policy: policy)
        try second.start()
        defer { second.stop(); _ = second.waitUntilStopped() }
        var out: [Output] = []
        #expect(try EndToEndCluster.waitUntil(seconds: 20) {
            out = try c.outputs().filter { $0.string("stage") == "repair.dispatch" }
            return out.filter { $0.type == "sla.overdue" }.count >= 3 && out.filter { $0.type == "sla.met" }.count >= 3
        })
        Thread.sleep(forTimeInterval: 1)
        out = try c.outputs().filter { $0.string("stage") == "repair.dispatch" }
        // The dispatched ones met their deadline and raised no alarm; the others are overdue.
        for id in ids.prefix(3) {
            let mine = Set(out.filter { $0.string("ticket_id") == id }.map(\.type))
            #expect(mine == ["sla.started", "sla.met"], "\(id): \(mine)")
        }
        for id in ids.suffix(3) {
            let mine = Set(out.filter { $0.string("ticket_id") == id }.map(\.type))
            #expect(mine == ["sla.started", "sla.warning", "sla.overdue", "sla.escalated"], "\(id): \(mine)")
        }
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { return true }; return false }
}
