// A day of realistic 95598 traffic for the demo: every event planned ahead on a seeded timeline.

import Foundation
import SLACore

/// One record the demo sends: an input event, or raw bytes that are not one (for the dead-letter path).
public struct DemoRecord: Sendable {
    /// When to send it (simulated time).
    public var at: Timestamp
    /// The topic's Kafka key.
    public var key: String
    /// The event, or nil for a malformed record.
    public var event: InboundEvent?
    /// The bytes sent.
    public var value: [UInt8]
}

/// Plans the demo's traffic: fault repairs (some crews late, some tickets misrouted and
/// returned), complaints (some late, some needing several units), reports, consultations,
/// new-connection applications, a planned outage announced too late, a fault outage restored
/// after its estimate, and two malformed records.
public struct DemoTraffic {
    /// Fault repairs per simulated hour; the other kinds scale with it.
    public var faultRepairsPerHour: Int
    private var rng: SplitMix64
    private var records: [DemoRecord] = []
    private var sequence = 0

    static let units = ["Chengguan Station", "Dongcheng Station", "Xihu Station", "Beishan Station", "Nanhu Station", "Qingshui Station"]
    static let departments = ["Marketing Dept", "Operations Dept", "Metering Centre"]

    /// A plan with its own random sequence.
    public init(faultRepairsPerHour: Int = 120, seed: UInt64 = 1) {
        self.faultRepairsPerHour = faultRepairsPerHour
        rng = SplitMix64(seed: seed)
    }

    /// Every record from `start` to `start + span`, in send order.
    public mutating func plan(from start: Timestamp, span: TimeSpan) -> [DemoRecord] {
        records = []
        let end = start.adding(span)
        func arrivals(perHour: Int, _ body: (inout DemoTraffic, Timestamp, Int) -> Void) {
            guard perHour > 0 else { return }
            let meanGap = 3_600_000.0 / Double(perHour)
            var t = start.milliseconds
            var n = 0
            while true {
                // Exponential gaps: calls arrive as a Poisson stream.
                t += Int64(-meanGap * log1p(-Double.random(in: 0..<1, using: &rng)))
                guard t < end.milliseconds else { return }
                n += 1
                body(&self, Timestamp(milliseconds: t), n)
            }
        }
        arrivals(perHour: faultRepairsPerHour) { $0.faultRepair(at: $1, n: $2) }
        arrivals(perHour: max(1, faultRepairsPerHour / 8)) { $0.appeal("CP", .complaint, at: $1, n: $2) }
        arrivals(perHour: max(1, faultRepairsPerHour / 40)) { $0.appeal("RP", .report, at: $1, n: $2) }
        arrivals(perHour: max(1, faultRepairsPerHour / 4)) { $0.consultation(at: $1, n: $2) }
        arrivals(perHour: max(1, faultRepairsPerHour / 30)) { $0.newConnection(at: $1, n: $2) }
        outages(start)
        malformed(start)
        return records.filter { $0.at < end }.sorted { ($0.at, $0.key) < ($1.at, $1.key) }
    }

    private mutating func minutes(_ range: ClosedRange<Double>) -> TimeSpan {
        TimeSpan(milliseconds: Int64(Double.random(in: range, using: &rng) * 60_000))
    }

    private mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    private mutating func add(_ t: TicketEvent) {
        sequence += 1
        var e = t
        e.eventId = "demo-\(sequence)"
        let event = InboundEvent.ticket(e)
        records.append(DemoRecord(at: e.occurredAt, key: e.ticketId, event: event, value: Array(event.json.utf8)))
    }

    private mutating func add(_ o: OutageEvent) {
        sequence += 1
        var e = o
        e.eventId = "demo-\(sequence)"
        let event = InboundEvent.outage(e)
        records.append(DemoRecord(at: e.occurredAt, key: e.outageId, event: event, value: Array(event.json.utf8)))
    }

    private mutating func ticket(_ id: String, _ kind: SubjectKind, _ action: LifecycleAction, _ at: Timestamp, unit: String,
                                region: Region? = nil, agent: String, _ fill: (inout TicketEvent) -> Void = { _ in }) -> TicketEvent {
        var e = TicketEvent(eventId: "", ticketId: id, kind: kind, action: action, occurredAt: at, unit: unit, region: region, agent: agent)
        fill(&e)
        return e
    }

    private mutating func faultRepair(at created: Timestamp, n: Int) {
        let id = "FR-\(n)"
        let unit = Self.units.randomElement(using: &rng)!
        let agent = "A\(Int.random(in: 1...12, using: &rng))"
        let roll = Double.random(in: 0..<1, using: &rng)
        let region: Region = roll < 0.5 ? .urban : (roll < 0.85 ? .rural : .remote)
        let limit: Double = region == .urban ? 45 : (region == .rural ? 90 : 120)
        let feeder = "10kV-F\(Int.random(in: 1...24, using: &rng))"
        add(ticket(id, .faultRepair, .created, created, unit: unit, region: region, agent: agent) { $0.feeder = feeder })
        // Dispatch: usually within 5 minutes, sometimes late.
        var dispatched = created.adding(chance(0.12) ? minutes(6...12) : minutes(1...4.5))
        add(ticket(id, .faultRepair, .dispatched, dispatched, unit: unit, region: region, agent: agent))
        var owner = unit
        if chance(0.06) {
            // Misrouted: the unit returns it (mostly within 5 minutes) and the centre re-dispatches.
            let returned = dispatched.adding(chance(0.7) ? minutes(1...4.5) : minutes(6...10))
            add(ticket(id, .faultRepair, .returned, returned, unit: owner, region: region, agent: agent))
            owner = Self.units.filter { $0 != unit }.randomElement(using: &rng)!
            dispatched = returned.adding(minutes(1...3))
            add(ticket(id, .faultRepair, .dispatched, dispatched, unit: owner, region: region, agent: agent))
        }
        // Arrival: within the regional limit, except for late crews.
        let arrived = dispatched.adding(chance(0.15) ? minutes((limit * 1.05)...(limit * 1.4)) : minutes((limit * 0.4)...(limit * 0.95)))
        add(ticket(id, .faultRepair, .arrived, arrived, unit: owner, region: region, agent: agent))
        add(ticket(id, .faultRepair, .onsiteReported, arrived.adding(chance(0.1) ? minutes(21...30) : minutes(5...18)), unit: owner, region: region, agent: agent) { $0.reportedTo = .county })
        add(ticket(id, .faultRepair, .onsiteReported, arrived.adding(chance(0.1) ? minutes(31...40) : minutes(10...28)), unit: owner, region: region, agent: agent) { $0.reportedTo = .city })
        let resolved = arrived.adding(minutes(20...70))
        add(ticket(id, .faultRepair, .resolved, resolved, unit: owner, region: region, agent: agent))
        let callback = resolved.adding(minutes(10...40))
        let satisfaction = chance(0.1) ? Int.random(in: 1...2, using: &rng) : Int.random(in: 3...5, using: &rng)
        add(ticket(id, .faultRepair, .callback, callback, unit: owner, region: region, agent: agent) { $0.satisfaction = satisfaction })
        add(ticket(id, .faultRepair, .closed, callback.adding(minutes(1...5)), unit: owner, region: region, agent: agent))
    }

    private mutating func appeal(_ prefix: String, _ kind: SubjectKind, at created: Timestamp, n: Int) {
        let id = "\(prefix)-\(n)"
        let dept = Self.departments.randomElement(using: &rng)!
        let agent = "A\(Int.random(in: 1...12, using: &rng))"
        let multi = kind == .complaint && chance(0.1)
        add(ticket(id, kind, .created, created, unit: dept, agent: agent) { if multi { $0.multiUnit = true } })
        // Work order within 30 minutes, mostly.
        add(ticket(id, kind, .dispatched, created.adding(chance(0.2) ? minutes(31...50) : minutes(5...28)), unit: dept, agent: agent))
    }

    private mutating func consultation(at t: Timestamp, n: Int) {
        let id = "CS-\(n)"
        let agent = "A\(Int.random(in: 1...12, using: &rng))"
        add(ticket(id, .consultation, .created, t, unit: "95598 Centre", agent: agent))
        add(ticket(id, .consultation, .closed, t.adding(minutes(2...8)), unit: "95598 Centre", agent: agent))
    }

    private mutating func newConnection(at t: Timestamp, n: Int) {
        let classes: [CustomerClass] = [.residential, .residential, .lowVoltage, .nonResidential, .hvSingle, .hvDual]
        let cls = classes.randomElement(using: &rng)!
        add(ticket("NC-\(n)", .newConnection, .applicationAccepted, t, unit: Self.units.randomElement(using: &rng)!, agent: "A\(Int.random(in: 1...12, using: &rng))") {
            $0.customerClass = cls
        })
    }

    private mutating func outages(_ start: Timestamp) {
        func outage(_ id: String, _ kind: SubjectKind, _ action: LifecycleAction, _ at: Timestamp, startAt: Timestamp, restore: Timestamp, feeders: [String]) -> OutageEvent {
            var o = OutageEvent(eventId: "", outageId: id, kind: kind, action: action, occurredAt: at)
            o.startAt = startAt; o.estRestoreAt = restore; o.feeders = feeders; o.unit = "Xihu Station"
            o.cause = kind == .planned ? "line maintenance" : "cable fault"
            return o
        }
        // A planned outage registered five days ahead: rule 14 wants seven, so its notice is
        // overdue at once; the announcement later is a missed verdict.
        let plannedStart = start.adding(.days(5)), plannedEnd = plannedStart.adding(.hours(6))
        add(outage("PO-1", .planned, .registered, start.adding(.minutes(2)), startAt: plannedStart, restore: plannedEnd, feeders: ["10kV-F7"]))
        add(outage("PO-1", .planned, .announced, start.adding(.minutes(20)), startAt: plannedStart, restore: plannedEnd, feeders: ["10kV-F7"]))
        // A temporary outage announced 30 hours ahead: in time.
        let tempStart = start.adding(.hours(30))
        add(outage("TO-1", .temporary, .registered, start.adding(.minutes(10)), startAt: tempStart, restore: tempStart.adding(.hours(2)), feeders: ["10kV-F12"]))
        add(outage("TO-1", .temporary, .announced, start.adding(.minutes(15)), startAt: tempStart, restore: tempStart.adding(.hours(2)), feeders: ["10kV-F12"]))
        // A fault outage estimated to be restored in 40 minutes, restored after 65.
        let faultStart = start.adding(.minutes(5))
        add(outage("FO-1", .fault, .registered, faultStart, startAt: faultStart, restore: faultStart.adding(.minutes(40)), feeders: ["10kV-F3"]))
        add(outage("FO-1", .fault, .started, faultStart, startAt: faultStart, restore: faultStart.adding(.minutes(40)), feeders: ["10kV-F3"]))
        add(outage("FO-1", .fault, .restored, faultStart.adding(.minutes(65)), startAt: faultStart, restore: faultStart.adding(.minutes(40)), feeders: ["10kV-F3"]))
    }

    private mutating func malformed(_ start: Timestamp) {
        records.append(DemoRecord(at: start.adding(.minutes(3)), key: "BAD-1", event: nil, value: Array("{\"ticket_id\": \"BAD-1\", truncated".utf8)))
        records.append(DemoRecord(at: start.adding(.minutes(7)), key: "BAD-2", event: nil,
                                  value: Array(#"{"event_id":"bad-2","ticket_id":"BAD-2","kind":"faultrepair","action":"created","occurred_at":"2026-11-23T08:07:00+08:00"}"#.utf8)))
    }
}
