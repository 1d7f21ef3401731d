import Foundation
import Testing
import SLACore
import SLAKafka
import SLAService
import SLATestSupport

/// Rule 1 end to end: the outage table every worker reads, and fault tickets linked to it.
@Suite(.serialized) struct OutageLinkingTests {
    @Test func faultTicketsInsideAKnownOutageAreLinkedNotTimedAndTimedAgainAfterRestoration() throws {
        let c = try EndToEndCluster(partitions: 2)
        // An outage known before the worker starts: the table must load it first.
        let now = SystemClock.read()
        try c.send([("O1", c.outage("O1", "started", at: now.adding(.minutes(-10)), feeders: ["F9"],
                                    startAt: now.adding(.minutes(-10)), estRestoreAt: now.adding(.hours(1))))],
                   topic: c.settings.outagesTopic)
        let worker = try c.startedWorker(policy: try SecondsPolicy.policy())
        defer { worker.stop(); _ = worker.waitUntilStopped() }
        let t1 = SystemClock.read()
        try c.send([("L1", c.ticket("L1", "created", at: t1, extra: #""feeder":"F9""#)),
                    ("N1", c.ticket("N1", "created", at: t1, extra: #""feeder":"F1""#))])
        var out: [Output] = []
        #expect(try EndToEndCluster.waitUntil(seconds: 10) {
            out = try c.outputs()
            return out.contains { $0.string("ticket_id") == "L1" && $0.type == "sla.linked" } && out.contains { $0.string("ticket_id") == "N1" && $0.type == "sla.overdue" }
        })
        let linked = try #require(out.first { $0.string("ticket_id") == "L1" && $0.type == "sla.linked" })
        #expect(linked.string("outage_id") == "O1")
        #expect(linked.topic == c.settings.eventsTopic)
        // Linked: no dispatch or arrival clock, so nothing else about L1 — even after its
        // dispatch deadline would have passed (N1, same time, is overdue by now).
        #expect(out.filter { $0.string("ticket_id") == "L1" }.map(\.type) == ["sla.linked"])
        // The outage is restored; a new ticket on the same feeder is timed normally.
        let t2 = SystemClock.read()
        try c.send([("O1", c.outage("O1", "restored", at: t2, feeders: ["F9"], startAt: now.adding(.minutes(-10)), estRestoreAt: now.adding(.hours(1))))],
                   topic: c.settings.outagesTopic)
        Thread.sleep(forTimeInterval: 1)
        try c.send([("L2", c.ticket("L2", "created", at: SystemClock.read(), extra: #""feeder":"F9""#))])
        #expect(try EndToEndCluster.waitUntil(seconds: 10) {
            try c.outputs().contains { $0.string("ticket_id") == "L2" && $0.type == "sla.started" && $0.string("stage") == "repair.dispatch" }
        })
        #expect(try !c.outputs().contains { $0.string("ticket_id") == "L2" && $0.type == "sla.linked" })
    }
}
