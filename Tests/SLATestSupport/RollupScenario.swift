// A rollup scenario end to end: fault tickets over units, agents and regions, and the rollups
// they must give, counted from the outcome records alone (independently of the rollup stage).

import Foundation
import SLACore
import SLAService

/// The tickets of a rollup scenario and the check of the rollups topic against its outcomes.
public enum RollupScenario {
    /// Fault tickets in the past (so every verdict is known at once), spread over units, agents
    /// and regions: dispatched in time, late, or never; some closed and called back. Ticket
    /// `L` is dispatched late, then a late event shows an earlier dispatch: its verdict is
    /// corrected from missed to met.
    public static func tickets(_ c: EndToEndCluster, count: Int, prefix: String, seed: UInt64, base: Timestamp) -> [(key: String?, value: [UInt8])] {
        var rng = SplitMix64(seed: seed)
        var out: [(key: String?, value: [UInt8])] = []
        func event(_ id: String, _ action: String, _ ms: Int64, unit: String, agent: String, region: String, extra: String = "") {
            let at = RFC3339.format(base.adding(TimeSpan(milliseconds: ms)), offsetSeconds: 8 * 3600)
            let json = #"{"event_id":"\#(id)-\#(action)-\#(ms)","ticket_id":"\#(id)","kind":"fault_repair","action":"\#(action)","occurred_at":"\#(at)","unit":"\#(unit)","agent":"\#(agent)","region":"\#(region)"\#(extra)}"#
            out.append((id, Array(json.utf8)))
        }
        for n in 0..<count {
            let id = "\(prefix)\(n)", unit = ["U1", "U2", "U3"][Int.random(in: 0..<3, using: &rng)]
            let agent = ["A1", "A2"][Int.random(in: 0..<2, using: &rng)], region = ["urban", "rural"][Int.random(in: 0..<2, using: &rng)]
            event(id, "created", 0, unit: unit, agent: agent, region: region)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: event(id, "dispatched", 1000, unit: unit, agent: agent, region: region)
            case 1: event(id, "dispatched", 2500, unit: unit, agent: agent, region: region)
            default: break
            }
            if Bool.random(using: &rng) {
                event(id, "closed", 30_000, unit: unit, agent: agent, region: region)
                if Bool.random(using: &rng) {
                    event(id, "callback", 40_000, unit: unit, agent: agent, region: region, extra: #","satisfaction":\#(Int.random(in: 1...5, using: &rng))"#)
                }
            }
        }
        return out
    }

    /// A start `lead` before the latest hour boundary that the 40 s of a ticket's events, after
    /// it, have passed: each scenario's tickets are received in one hour and handled, closed and
    /// called back in the next, so the windows of the receipt and of the handling differ in every
    /// run (a run near the top of the hour once found the check below counting by `at` alone).
    public static func acrossAnHour(lead: Int64) -> Timestamp {
        let now = SystemClock.read().milliseconds
        var boundary = now - now % 3_600_000
        if now - boundary < 120_000 { boundary -= 3_600_000 }
        return Timestamp(milliseconds: boundary - lead)
    }

    /// Counts per rollup key, computed here from the outcome records alone: repeats dropped by
    /// `outcome_id`, a corrected verdict replacing its cycle's earlier one, an overdue's
    /// withdrawal (`…~retracted`) replacing the overdue (docs/rollups.md), counted for the unit
    /// charged (`charged_to`, else `unit`), in the windows of `received_at` where the outcome
    /// carries one (`handled` and `answered`, contract v1.5), else of `at`.
    public static func expected(_ outcomes: [(key: String, fields: [String: Any])], view: String, calendar: BusinessCalendar) -> [String: [String: Int]] {
        var bySlot: [String: [String: Any]] = [:]
        var seen = Set<String>()
        for o in outcomes {
            let id = o.fields["outcome_id"] as! String
            guard seen.insert(id).inserted else { continue }
            let result = o.fields["result"] as! String
            let typeAt = id.range(of: ":sla.", options: .backwards)?.lowerBound
            if ["met", "missed", "voided"].contains(result), let typeAt {
                bySlot[String(id[..<typeAt])] = o.fields
            } else if ["overdue", "retracted"].contains(result), let typeAt {
                let cut = id[typeAt...].firstIndex { $0 == "#" || $0 == "~" } ?? id.endIndex
                bySlot[String(id[..<cut])] = o.fields
            } else if ["received", "handled", "answered", "closed", "callback"].contains(result), let ticket = o.fields["ticket_id"] as? String {
                // Once per ticket (contract v1.3): the latest in event time stands.
                let slot = "ticket:\(ticket):\(result)"
                if let prev = bySlot[slot], let a = prev["at"] as? String, let b = o.fields["at"] as? String,
                   RollupScenario.instant(a) > RollupScenario.instant(b) { continue }
                bySlot[slot] = o.fields
            } else {
                bySlot[id] = o.fields
            }
        }
        var out: [String: [String: Int]] = [:]
        // A withdrawn overdue counts nothing.
        for f in bySlot.values where f["result"] as? String != "retracted" {
            let at = RFC3339.parse((f["received_at"] ?? f["at"]) as! String)!.0
            for grain in RollupGrain.allCases {
                let w = RollupWindow.of(at, grain, calendar: calendar).label
                // An agent's outcome counts in its all-stages cell and in its stage's (v1.3).
                let keys = view == "unit"
                    ? ["unit|\(grain.rawValue)|\(w)|\(f["charged_to"] as? String ?? f["unit"] as! String)|\(f["kind"] as! String)|\(f["stage"] as! String)|\(f["region"] as? String ?? "-")"]
                    : ["agent|\(grain.rawValue)|\(w)|\(f["agent"] as! String)", "agent|\(grain.rawValue)|\(w)|\(f["agent"] as! String)|\(f["stage"] as! String)"]
                for key in keys {
                    out[key, default: [:]][RollupScenario.column(f["result"] as! String), default: 0] += 1
                    out[key, default: [:]]["outcomes", default: 0] += 1
                }
            }
        }
        return out
    }

    public static func instant(_ s: String) -> Int64 { RFC3339.parse(s)!.0.milliseconds }

    public static func column(_ result: String) -> String { result == "callback" ? "callbacks" : result }

    public static func check(_ c: EndToEndCluster, calendar: BusinessCalendar) throws -> (Bool, String) {
        let rollups = try c.rollups()
        var problems: [String] = []
        for view in ["unit", "agent"] {
            let expected = Self.expected(try c.outcomes(view: view), view: view, calendar: calendar)
            if expected.isEmpty { problems.append("no \(view) outcomes") }
            for (key, counts) in expected {
                guard let got = rollups[key] else { problems.append("no rollup \(key)"); continue }
                for (column, n) in counts where got[column] as? Int != n { problems.append("\(key) \(column): \(got[column] ?? "nil") ≠ \(n)") }
            }
            let extra = rollups.filter { $0.key.hasPrefix(view + "|") && expected[$0.key] == nil && ($0.value["outcomes"] as? Int ?? 0) > 0 }
            problems += extra.keys.map { "unexpected rollup \($0)" }
        }
        return (problems.isEmpty, problems.prefix(8).joined(separator: "\n"))
    }
}
