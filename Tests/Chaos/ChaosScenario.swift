// The tickets the harness sends, what they must produce, and a part of it worked out by hand.

import Foundation
import SLACore
import SLAService

/// Fault tickets of three shapes, created at random moments of the sending window, each event
/// sent when it happens. The policy gives 40 s, so a ticket's stop is far enough from its
/// alarms that no fault of the run (a kill, a rebalance, a broker down) can reorder them:
/// - **met**: dispatched 3 s after creation;
/// - **overdue**: never dispatched — warning at +20 s, overdue and urge at +40 s, supervisor at +50 s;
/// - **missed**: dispatched at +58 s, after all of that.
struct ChaosScenario {
    static let policyText = """
        version: "chaos"
        warn_at: 0.5
        retain_after_close: 1h
        stages:
          - id: chaos.dispatch
            rule: "2"
            kinds: [fault_repair]
            start: [created]
            stop: [dispatched]
            limit: 40s
            escalation:
              - { at: 0s, level: urge, to: dispatch_desk }
              - { at: 10s, level: supervisor, to: duty_supervisor }
        """

    enum Shape: CaseIterable { case met, overdue, missed }

    struct Ticket { var id: String; var shape: Shape; var created: Timestamp; var unit: String }

    struct Event { var key: String; var at: Timestamp; var bytes: [UInt8] }

    var tickets: [Ticket] = []
    var events: [Event] = []

    init(count: Int, from start: Timestamp, window: TimeSpan, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for n in 0..<count {
            let created = start.adding(TimeSpan(milliseconds: Int64.random(in: 0..<window.milliseconds, using: &rng)))
            let shape = Shape.allCases[Int.random(in: 0..<3, using: &rng)]
            let t = Ticket(id: "X\(n)", shape: shape, created: created, unit: "U\(n % 5)")
            tickets.append(t)
            events.append(Self.event(t, "created", at: created))
            switch shape {
            case .met: events.append(Self.event(t, "dispatched", at: created.adding(.seconds(3))))
            case .missed: events.append(Self.event(t, "dispatched", at: created.adding(.seconds(58))))
            case .overdue: break
            }
        }
        events.sort { $0.at < $1.at }
    }

    static func event(_ t: Ticket, _ action: String, at: Timestamp) -> Event {
        let json = #"{"event_id":"\#(t.id)-\#(action)","ticket_id":"\#(t.id)","kind":"fault_repair","action":"\#(action)","occurred_at":"\#(RFC3339.format(at, offsetSeconds: 8 * 3600))","unit":"\#(t.unit)","region":"urban","agent":"A\#(t.id.count % 3)"}"#
        return Event(key: t.id, at: at, bytes: Array(json.utf8))
    }

    /// Every event the clocks must publish for the input events that are in Kafka (`present`
    /// event ids): a replay of them on a virtual clock.
    func expected(until end: Timestamp, present: Set<String>) throws -> [String: SLAEvent] {
        var engine = ReplayEngine(tracker: SLATracker(policy: try PolicyLoader.parse(Self.policyText, file: "chaos"), calendar: try DefaultFiles.calendar()))
        var out: [SLAEvent] = []
        for e in events {
            let event = try EventDecoder.any(e.bytes)
            if present.contains(event.eventId) { out += try engine.feed(event) }
        }
        out += engine.advance(to: end)
        return Dictionary(out.map { ($0.eventId, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The same, for the tickets that are never dispatched, worked out by hand: each has a
    /// warning at +20 s, an overdue and an urge at +40 s and a supervisor step at +50 s.
    func handComputed(present: Set<String>) -> [(id: String, type: String, at: Timestamp)] {
        tickets.filter { $0.shape == .overdue && present.contains($0.id + "-created") }.flatMap { t -> [(id: String, type: String, at: Timestamp)] in
            let cycle = "ticket:\(t.id):chaos.dispatch@" + RFC3339.format(t.created, offsetSeconds: 0).filter { $0 != "-" && $0 != ":" }
            return [(cycle + ":sla.warning", "sla.warning", t.created.adding(.seconds(20))),
                    (cycle + ":sla.overdue", "sla.overdue", t.created.adding(.seconds(40))),
                    (cycle + ":sla.escalated:urge", "sla.escalated", t.created.adding(.seconds(40))),
                    (cycle + ":sla.escalated:supervisor", "sla.escalated", t.created.adding(.seconds(50)))]
        }
    }
}
