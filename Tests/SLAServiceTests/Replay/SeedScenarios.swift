// The hand-worked scenarios of the seed rules (issue: rules as the seeds mean them), as JSON
// lines in arrival order, shared by the replay tests and the daemon's parity test.

import SLACore

/// One step of a scenario: lines that arrive together (a topic each), then a pause.
struct SeedStep {
    var tickets: [String] = []
    var outages: [String] = []
}

enum SeedScenarios {
    /// A local Beijing time `hh:mm` on `day` (`2026-11-20` unless given), as RFC 3339 text.
    static func at(_ hhmm: String, day: String = "2026-11-20") -> String { "\(day)T\(hhmm):00+08:00" }

    static func ticket(_ id: String, _ kind: String, _ action: String, _ time: String, _ extra: String = "") -> String {
        #"{"event_id":"\#(id)-\#(action)-\#(time)","ticket_id":"\#(id)","kind":"\#(kind)","action":"\#(action)","occurred_at":"\#(time)""#
            + (extra.isEmpty ? "" : "," + extra) + "}"
    }

    static func outage(_ id: String, _ kind: String, _ action: String, _ time: String, _ extra: String = "") -> String {
        #"{"event_id":"\#(id)-\#(action)-\#(time)","outage_id":"\#(id)","kind":"\#(kind)","action":"\#(action)","occurred_at":"\#(time)""#
            + (extra.isEmpty ? "" : "," + extra) + "}"
    }

    /// Accepted, then returned 38 minutes after receipt; re-dispatched, crew on site.
    static let acceptThenReturn: [SeedStep] = [SeedStep(tickets: [
        ticket("S-RET", "fault_repair", "created", at("08:00"), #""unit":"GDS-A","region":"urban""#),
        ticket("S-RET", "fault_repair", "dispatched", at("08:02"), #""unit":"GDS-A""#),
        ticket("S-RET", "fault_repair", "accepted", at("08:05")),
        ticket("S-RET", "fault_repair", "returned", at("08:40")),
        ticket("S-RET", "fault_repair", "dispatched", at("08:45"), #""unit":"GDS-B""#),
        ticket("S-RET", "fault_repair", "arrived", at("09:18")),
    ])]

    /// A complaint Dept-A got by mistake, re-dispatched to Dept-B and resolved there.
    static let misroutedComplaint: [SeedStep] = [SeedStep(tickets: [
        ticket("S-CMP", "complaint", "created", at("09:00"), #""unit":"Dept-A""#),
        ticket("S-CMP", "complaint", "dispatched", at("09:10"), #""unit":"Dept-A""#),
        ticket("S-CMP", "complaint", "returned", at("10:00")),
        ticket("S-CMP", "complaint", "dispatched", at("10:20"), #""unit":"Dept-B""#),
        ticket("S-CMP", "complaint", "resolved", at("15:00", day: "2026-11-23")),
    ])]

    /// A planned outage registered 19 days ahead and never announced, then carried out.
    static let neverAnnounced: [SeedStep] = [
        SeedStep(outages: [outage("S-PLN", "planned", "registered", at("09:00", day: "2026-11-01"),
                                  #""start_at":"2026-11-20T08:00:00+08:00","est_restore_at":"2026-11-20T17:00:00+08:00","feeders":["F9"],"cause":"maintenance","unit":"Ops""#)]),
        SeedStep(outages: [outage("S-PLN", "planned", "started", at("08:00")), outage("S-PLN", "planned", "restored", at("16:30"))]),
    ]

    /// A fault ticket at 08:10 on F5, left undispatched; the outage on F5 that started 07:30 is
    /// entered after its alarms went out.
    static let lateOutage: [SeedStep] = [
        SeedStep(tickets: [ticket("S-LNK", "fault_repair", "created", at("08:10"), #""unit":"GDS-C","region":"urban","feeder":"F5""#)]),
        SeedStep(outages: [outage("S-O5", "fault", "started", at("07:30"), #""est_restore_at":"2026-11-20T12:00:00+08:00","feeders":["F5"],"unit":"Ops""#)]),
    ]

    /// `arrived`, then `created`, then `dispatched`, each arriving on its own.
    static let outOfOrder: [SeedStep] = [
        SeedStep(tickets: [ticket("S-ORD", "fault_repair", "arrived", at("09:00"))]),
        SeedStep(tickets: [ticket("S-ORD", "fault_repair", "created", at("08:00"), #""unit":"GDS-D","region":"rural""#)]),
        SeedStep(tickets: [ticket("S-ORD", "fault_repair", "dispatched", at("08:03"))]),
    ]

    static let all: [(name: String, steps: [SeedStep])] = [
        ("accept then return", acceptThenReturn), ("misrouted complaint", misroutedComplaint),
        ("never announced", neverAnnounced), ("late outage", lateOutage), ("out of order", outOfOrder),
    ]
}
