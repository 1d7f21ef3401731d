// A generated month of 95598 tickets under the shipped policy, and every assessment figure it
// must give, computed here from the generator's own choices (how late each step was) by plain
// arithmetic — not from anything slawatch emits.

import Foundation
import SLACore

/// One local month of tickets: fault repairs in town and country, complaints (some sent back or
/// reopened), consultations, queries, praise and suggestions; callbacks with and without a score,
/// some called back twice. Every step is either well inside or well outside its limit, so the
/// verdict is known without the calendar (a complaint resolved a day after it came is in time,
/// one resolved 22 days after is late, holidays or not).
struct AssessmentMonth {
    /// The month's label, `2026-11`.
    let label: String
    /// Ticket events in time order: key (ticket id) and JSON.
    private(set) var events: [(key: String, json: String)] = []
    /// Figures per owner: `unit|<charged>` and `agent|<agent>`.
    private(set) var figures: [String: Figures] = [:]
    /// Stage cycles by `stage verdict overdue`.
    private(set) var cycles: [String: Int] = [:]
    /// The party the shipped policy charges for dispatching (`centre:`).
    static let centre = "95598"

    /// What one owner's month adds up to.
    struct Figures: Equatable {
        /// Per stage: met, missed, overdues that stand.
        var stages: [String: [Int]] = [:]
        var received = 0, handled = 0, answered = 0, firstTime = 0, sentBack = 0, reopened = 0
        var closed = 0, callbacks = 0, scored = 0, scoreSum = 0, satisfied = 0

        var verdicts: Int { stages.values.reduce(0) { $0 + $1[0] + $1[1] } }
        var missed: Int { stages.values.reduce(0) { $0 + $1[1] } }

        /// The rate rule with the shipped defaults: per stage min(30, (1 − on-time rate) × 100) points.
        var score: Double {
            var deductions = 0.0
            for s in stages.values where s[0] + s[1] > 0 { deductions += min(30, (1 - Double(s[0]) / Double(s[0] + s[1])) * 100) }
            return max(0, 100 - deductions)
        }
        var graded: Bool { verdicts >= 10 }
        var grade: String { !graded ? "insufficient_volume" : score >= 90 ? "excellent" : score >= 70 ? "pass" : "fail" }
        var assessed: Bool { missed > 0 || (graded && score < 70) }
        /// One graded month in the year: its score is the mean; bands 95 / 90 / 80 / 70.
        var stars: Int? { graded ? (score >= 95 ? 5 : score >= 90 ? 4 : score >= 80 ? 3 : score >= 70 ? 2 : 1) : nil }

        /// Adds another owner's volumes and callbacks (the stages are kept apart).
        mutating func addVolumes(_ d: Figures) {
            received += d.received; handled += d.handled; answered += d.answered; firstTime += d.firstTime
            closed += d.closed; callbacks += d.callbacks; scored += d.scored; scoreSum += d.scoreSum; satisfied += d.satisfied
        }

        mutating func verdict(_ stage: String, met: Bool, overdue: Bool) {
            var s = stages[stage] ?? [0, 0, 0]
            s[met ? 0 : 1] += 1
            if overdue { s[2] += 1 }
            stages[stage] = s
        }
    }

    /// The month `monthsBack` before the one holding `now`, in Beijing time.
    init(now: Date = Date(), monthsBack: Int = 1) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let first = cal.date(byAdding: .month, value: -monthsBack, to: cal.date(from: cal.dateComponents([.year, .month], from: now))!)!
        let ym = cal.dateComponents([.year, .month], from: first)
        label = String(format: "%04d-%02d", ym.year!, ym.month!)
        func at(day: Int, hour: Int, minute: Int = 0) -> Double {
            cal.date(from: DateComponents(year: ym.year, month: ym.month, day: day, hour: hour, minute: minute))!.timeIntervalSince1970
        }
        let agents = ["A1", "A2", "A3", "A4"]
        var n = 0
        // Fault repairs: (unit, tickets, region). Index patterns decide every delay.
        for (unit, count) in [("GDS-A", 24), ("GDS-B", 12), ("GDS-C", 2)] {
            for i in 0..<count {
                n += 1
                let id = "M-\(unit)-F\(i)", agent = agents[n % 4], rural = i % 3 == 2
                let region = rural ? "rural" : "urban"
                let t0 = at(day: 4 + i % 24, hour: 8 + i % 9)
                let dispatchLate = i % 7 == 3, arrivalLate = i % 5 == 1, countyLate = i % 6 == 4, cityLate = i % 8 == 5
                let d = dispatchLate ? 9.0 : Double(2 + i % 3)
                let a = rural ? (arrivalLate ? 110.0 : 70) : (arrivalLate ? 60.0 : 30)
                let tDispatch = t0 + d * 60, tArrive = tDispatch + a * 60
                var steps: [(Double, String, String)] = [
                    (t0, "created", #","unit":"\#(unit)","region":"\#(region)","agent":"\#(agent)""#),
                    (tDispatch, "dispatched", #","unit":"\#(unit)","region":"\#(region)""#),
                    (tDispatch + 60, "accepted", ""),
                    (tArrive, "arrived", ""),
                    (tArrive + (countyLate ? 25 : 10) * 60, "onsite_reported", #","reported_to":"county""#),
                    (tArrive + (cityLate ? 40 : 15) * 60, "onsite_reported", #","reported_to":"city""#),
                    (tArrive + 3600, "resolved", ""),
                ]
                var u = figures["unit|\(unit)"] ?? Figures(), g = figures["agent|\(agent)"] ?? Figures()
                var centre = figures["unit|\(Self.centre)"] ?? Figures()
                centre.verdict("repair.dispatch", met: !dispatchLate, overdue: dispatchLate)
                g.verdict("repair.dispatch", met: !dispatchLate, overdue: dispatchLate)
                // The customer's whole wait: dispatch (≤ 9 min) + arrival inside 50 / 95 minutes exactly when the arrival is.
                for (stage, late, alarms) in [("repair.arrival", arrivalLate, true), ("repair.commitment", arrivalLate, false),
                                              ("repair.onsite_report.county", countyLate, true), ("repair.onsite_report.city", cityLate, true)] {
                    u.verdict(stage, met: !late, overdue: late && alarms)
                    g.verdict(stage, met: !late, overdue: late && alarms)
                    cycles["\(stage) \(late ? "missed" : "met") \(late && alarms)", default: 0] += 1
                }
                cycles["repair.dispatch \(dispatchLate ? "missed" : "met") \(dispatchLate)", default: 0] += 1
                let closing = Self.closeOut(tArrive + 3600, i: i, firstTime: true, steps: &steps)
                u.addVolumes(closing); g.addVolumes(closing)
                figures["unit|\(unit)"] = u; figures["agent|\(agent)"] = g; figures["unit|\(Self.centre)"] = centre
                events += Self.lines(id, "fault_repair", steps)
            }
        }
        // Complaints, created on the 1st to 3rd: dispatch 10 or 50 minutes (limit 30), resolved a day or 22 days later.
        for (unit, count) in [("Dept-K", 14), ("Dept-L", 6)] {
            for i in 0..<count {
                n += 1
                let id = "M-\(unit)-C\(i)", agent = agents[n % 4]
                let t0 = at(day: 1 + i % 3, hour: 9 + i % 8)
                let dispatchLate = i % 5 == 2, resolutionLate = i % 4 == 1, sentBack = i % 4 == 3, reopened = i % 6 == 0
                let tDispatch = t0 + (dispatchLate ? 50 : 10) * 60
                let tResolved = t0 + (resolutionLate ? 22 : 1) * 86_400
                var steps: [(Double, String, String)] = [
                    (t0, "created", #","unit":"\#(unit)","agent":"\#(agent)""#),
                    (tDispatch, "dispatched", #","unit":"\#(unit)""#),
                    (tResolved, "resolved", ""),
                ]
                var u = figures["unit|\(unit)"] ?? Figures(), g = figures["agent|\(agent)"] ?? Figures()
                var centre = figures["unit|\(Self.centre)"] ?? Figures()
                centre.verdict("appeal.dispatch", met: !dispatchLate, overdue: dispatchLate)
                g.verdict("appeal.dispatch", met: !dispatchLate, overdue: dispatchLate)
                cycles["appeal.dispatch \(dispatchLate ? "missed" : "met") \(dispatchLate)", default: 0] += 1
                u.verdict("complaint.resolution", met: !resolutionLate, overdue: resolutionLate)
                g.verdict("complaint.resolution", met: !resolutionLate, overdue: resolutionLate)
                cycles["complaint.resolution \(resolutionLate ? "missed" : "met") \(resolutionLate)", default: 0] += 1
                var last = tResolved
                // A sent-back result or a reopening starts resolution again (a new cycle, in time here).
                for (action, happens) in [("sent_back", sentBack), ("reopened", reopened)] where happens {
                    steps.append((last + 3600, action, ""))
                    steps.append((last + 3600 + 86_400 / 2, "resolved", ""))
                    last += 3600 + 86_400 / 2
                    u.verdict("complaint.resolution", met: true, overdue: false)
                    g.verdict("complaint.resolution", met: true, overdue: false)
                    cycles["complaint.resolution met false", default: 0] += 1
                    if action == "sent_back" { u.sentBack += 1; g.sentBack += 1 } else { u.reopened += 1; g.reopened += 1 }
                }
                // Handled once per ticket; not first-time after a send-back or reopening.
                let closing = Self.closeOut(last, i: i, firstTime: !(sentBack || reopened), steps: &steps)
                u.addVolumes(closing); g.addVolumes(closing)
                figures["unit|\(unit)"] = u; figures["agent|\(agent)"] = g; figures["unit|\(Self.centre)"] = centre
                events += Self.lines(id, "complaint", steps)
            }
        }
        // Untimed kinds answered with `answered`; praise and suggestions are dispatched first (30 min).
        for (unit, kind, count) in [("GDS-A", "consultation", 8), ("GDS-B", "query", 6), ("Dept-K", "praise", 4), ("Dept-K", "suggestion", 3)] {
            for i in 0..<count {
                n += 1
                let id = "M-\(unit)-\(kind)-\(i)", agent = agents[n % 4]
                let t0 = at(day: 5 + i * 3, hour: 10 + i % 6)
                var steps: [(Double, String, String)] = [(t0, "created", #","unit":"\#(unit)","agent":"\#(agent)""#)]
                var u = figures["unit|\(unit)"] ?? Figures(), g = figures["agent|\(agent)"] ?? Figures()
                var t = t0
                if kind == "praise" || kind == "suggestion" {
                    let late = i == 1
                    t += (late ? 45 : 20) * 60
                    steps.append((t, "dispatched", #","unit":"\#(unit)""#))
                    var centre = figures["unit|\(Self.centre)"] ?? Figures()
                    centre.verdict("appeal.dispatch", met: !late, overdue: late)
                    g.verdict("appeal.dispatch", met: !late, overdue: late)
                    figures["unit|\(Self.centre)"] = centre
                    cycles["appeal.dispatch \(late ? "missed" : "met") \(late)", default: 0] += 1
                }
                // A kind no stage times keeps no history: its events carry the unit themselves (docs/events.md).
                let own = kind == "praise" || kind == "suggestion" ? "" : #","unit":"\#(unit)","agent":"\#(agent)""#
                steps.append((t + 600, "answered", own))
                steps.append((t + 1200, "closed", own))
                for f in [0, 1] {
                    var x = f == 0 ? u : g
                    x.received += 1; x.answered += 1; x.handled += 1; x.firstTime += 1
                    // A closure counts towards the callback rate only for kinds a stage times (they need a callback).
                    if own.isEmpty { x.closed += 1 }
                    if f == 0 { u = x } else { g = x }
                }
                figures["unit|\(unit)"] = u; figures["agent|\(agent)"] = g
                events += Self.lines(id, kind, steps)
            }
        }
        // One consultation names no unit at all: counted under "-", and said so (slawatch_unattributed_outcomes_total).
        events += Self.lines("M-NOUNIT", "consultation", [(at(day: 9, hour: 9), "created", "")])
        figures["unit|-", default: Figures()].received += 1
        events.sort { $0.json < $1.json }  // by the time stamp that leads each line's ordering key below
        events = events.map { ($0.key, String($0.json.drop { $0 != "{" })) }
    }

    /// Callback(s) and closure after the last resolution: the ticket's volumes and its callback.
    private static func closeOut(_ resolved: Double, i: Int, firstTime: Bool, steps: inout [(Double, String, String)]) -> Figures {
        // Scores by index: 5, 4, 2, none, 3, then a ticket never called back; every 7th is called back twice (the last score stands).
        let pattern: [Int?] = [5, 4, 2, nil, 3, -1]
        let score = pattern[i % pattern.count]
        var t = resolved + 7200
        var last = score
        if score != -1 {
            if i % 7 == 0 {
                steps.append((t, "callback", #","satisfaction":1"#))
                t += 600
            }
            steps.append((t, "callback", score.map { #","satisfaction":\#($0)"# } ?? ""))
            t += 3600
        } else {
            last = nil
        }
        steps.append((t, "closed", ""))
        var f = Figures()
        f.received = 1; f.handled = 1; f.firstTime = firstTime ? 1 : 0; f.closed = 1
        if score != -1 { f.answered = 1; f.callbacks = 1 }
        if let s = last { f.scored = 1; f.scoreSum = s; if s >= 4 { f.satisfied = 1 } }
        return f
    }

    /// JSON lines of one ticket's steps, each prefixed with a sortable time (cut off after sorting).
    private static func lines(_ id: String, _ kind: String, _ steps: [(Double, String, String)]) -> [(key: String, json: String)] {
        steps.enumerated().map { k, s in
            let time = ISO8601DateFormatter.beijing.string(from: Date(timeIntervalSince1970: s.0))
            let json = #"{"event_id":"\#(id)-\#(k)","ticket_id":"\#(id)","kind":"\#(kind)","action":"\#(s.1)","occurred_at":"\#(time)"\#(s.2)}"#
            return (id, String(format: "%014.0f", s.0 * 1000) + String(format: "%03d", k) + json)
        }
    }
}

extension ISO8601DateFormatter {
    /// RFC 3339 in Beijing time (+08:00).
    static var beijing: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        f.formatOptions = [.withInternetDateTime]
        return f
    }
}
