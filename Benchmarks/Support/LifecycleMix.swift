// A full-lifecycle 95598 mix, seeded: fault repairs from creation to callback and closing (some
// misrouted and returned), complaints, reports, consultations, new connections, planned outages.

import SLACore

/// Generates input events of realistic proportions, every ticket's whole life, ending by `end`.
///
/// Proportions (of tickets): 55 % fault repairs (created → dispatched → arrived → on-site
/// report → resolved → callback → closed; 5 % of them first returned as misrouted and
/// dispatched again), 15 % complaints (created → dispatched → resolved → callback → closed),
/// 5 % reports, 20 % consultations (created → answered → closed), 5 % new connections
/// (application accepted → plan replied → inspection passed → powered on → closed); one
/// planned outage (announced → started → restored) per 2 000 tickets, whose feeder the fault
/// tickets created during it share, so they are linked. Times spread over `hours` before `end`.
public struct LifecycleMix {
    /// One input event: its record key, topic, time (ms) and JSON.
    public struct Event: Sendable { public var key: String; public var topic: Topic; public var at: Int64; public var json: String }
    /// The input topic an event goes to.
    public enum Topic: Sendable { case tickets, outages }

    private var rng: SplitMix64
    private let end: Int64
    private let spanMs: Int64
    /// The events generated so far, in time order after ``generate(events:)``.
    public private(set) var events: [Event] = []
    private var seq = 0

    /// A mix whose times fall in the `hours` before `end`, the same for the same seed.
    public init(seed: UInt64, end: Timestamp, hours: Int64) {
        rng = SplitMix64(seed: seed)
        self.end = end.milliseconds
        spanMs = hours * 3_600_000
    }

    /// Adds tickets until at least `count` events exist, then sorts them by time (the order the
    /// call-centre systems publish them in).
    public mutating func generate(events count: Int) {
        var ticket = 0
        while events.count < count {
            if ticket % 2000 == 0 { outage(ticket / 2000) }
            let r = below(100)
            switch r {
            case 0..<55: faultRepair(ticket)
            case 55..<70: complaint(ticket, kind: "complaint")
            case 70..<75: complaint(ticket, kind: "report")
            case 75..<95: consultation(ticket)
            default: connection(ticket)
            }
            ticket += 1
        }
        events.sort { $0.at < $1.at }
    }

    private mutating func start() -> Int64 { end - spanMs + Int64(below(UInt64(spanMs))) }
    private mutating func minutes(_ lo: Int, _ hi: Int) -> Int64 { Int64(lo + Int(below(UInt64(hi - lo + 1)))) * 60_000 }

    private mutating func add(_ topic: Topic, key: String, at: Int64, _ fields: String) {
        seq += 1
        let time = RFC3339.format(Timestamp(milliseconds: at), offsetSeconds: 8 * 3600)
        events.append(Event(key: key, topic: topic, at: at, json: "{\"event_id\":\"b-\(seq)\",\(fields),\"occurred_at\":\"\(time)\"}"))
    }

    private mutating func ticketEvent(_ id: String, _ kind: String, _ action: String, at: Int64, _ extra: String = "") {
        add(.tickets, key: id, at: at, "\"ticket_id\":\"\(id)\",\"kind\":\"\(kind)\",\"action\":\"\(action)\"" + extra)
    }

    private static let regions = ["urban", "urban", "urban", "rural", "rural", "remote"]

    private mutating func faultRepair(_ n: Int) {
        let id = "F\(n)", unit = "U\(below(40))", region = Self.regions[Int(below(6))]
        let common = ",\"unit\":\"\(unit)\",\"region\":\"\(region)\""
        // A ticket created during an outage is on its feeder (and so linked).
        let feeder = below(50) == 0 ? "OF\(n / 2000)" : "F-\(below(5000))"
        var t = start()
        ticketEvent(id, "fault_repair", "created", at: t, common + ",\"agent\":\"A\(below(300))\",\"feeder\":\"\(feeder)\",\"area\":\"\(below(200))\"")
        if below(20) == 0 {
            t += minutes(2, 8); ticketEvent(id, "fault_repair", "returned", at: t, common)
        }
        t += minutes(1, 7); ticketEvent(id, "fault_repair", "dispatched", at: t, common)
        t += minutes(20, 110); ticketEvent(id, "fault_repair", "arrived", at: t, common)
        t += minutes(5, 25); ticketEvent(id, "fault_repair", "onsite_reported", at: t, common + ",\"reported_to\":\"county\"")
        t += minutes(30, 120); ticketEvent(id, "fault_repair", "resolved", at: t, common)
        t += minutes(60, 180); ticketEvent(id, "fault_repair", "callback", at: t, common + ",\"satisfaction\":\(1 + below(5))")
        t += minutes(5, 15); ticketEvent(id, "fault_repair", "closed", at: t, common)
    }

    private mutating func complaint(_ n: Int, kind: String) {
        let id = "C\(n)", common = ",\"unit\":\"U\(below(40))\""
        var t = start()
        ticketEvent(id, kind, "created", at: t, common + ",\"agent\":\"A\(below(300))\"")
        t += minutes(5, 45); ticketEvent(id, kind, "dispatched", at: t, common)
        t += minutes(60, 600); ticketEvent(id, kind, "resolved", at: t, common)
        if kind == "complaint" { t += minutes(60, 240); ticketEvent(id, kind, "callback", at: t, common + ",\"satisfaction\":\(1 + below(5))") }
        t += minutes(5, 30); ticketEvent(id, kind, "closed", at: t, common)
    }

    private mutating func consultation(_ n: Int) {
        let id = "Q\(n)", common = ",\"unit\":\"U\(below(40))\""
        var t = start()
        ticketEvent(id, "consultation", "created", at: t, common + ",\"agent\":\"A\(below(300))\"")
        t += minutes(2, 20); ticketEvent(id, "consultation", "answered", at: t, common)
        t += minutes(1, 10); ticketEvent(id, "consultation", "closed", at: t, common)
    }

    private mutating func connection(_ n: Int) {
        let id = "N\(n)", common = ",\"unit\":\"U\(below(40))\",\"customer_class\":\"residential\""
        var t = start()
        ticketEvent(id, "new_connection", "created", at: t, common + ",\"agent\":\"A\(below(300))\"")
        t += minutes(10, 60); ticketEvent(id, "new_connection", "application_accepted", at: t, common)
        t += minutes(60, 600); ticketEvent(id, "new_connection", "plan_replied", at: t, common)
        t += minutes(60, 600); ticketEvent(id, "new_connection", "inspection_passed", at: t, common)
        t += minutes(60, 600); ticketEvent(id, "new_connection", "powered_on", at: t, common)
        t += minutes(5, 30); ticketEvent(id, "new_connection", "closed", at: t, common)
    }

    private mutating func outage(_ n: Int) {
        let id = "O\(n)"
        let startAt = start(), restoreAt = startAt + minutes(120, 360)
        let f = { (t: Int64) in RFC3339.format(Timestamp(milliseconds: t), offsetSeconds: 8 * 3600) }
        let fields = ",\"start_at\":\"\(f(startAt))\",\"est_restore_at\":\"\(f(restoreAt))\",\"feeders\":[\"OF\(n)\"],\"cause\":\"maintenance\",\"unit\":\"U\(below(40))\""
        func ev(_ action: String, _ at: Int64) {
            add(.outages, key: id, at: at, "\"outage_id\":\"\(id)\",\"kind\":\"planned\",\"action\":\"\(action)\"" + fields)
        }
        ev("announced", startAt - 8 * 86_400_000)
        ev("started", startAt)
        ev("restored", restoreAt - minutes(0, 30))
    }

    /// A number below `n` (the mix's own reduction, kept so a seed gives the mix it always gave).
    private mutating func below(_ n: UInt64) -> UInt64 { rng.next() % n }
}
