// A generated stream of outcomes with repeats and corrections, and what it should add up to,
// computed without the code under test (windows through Foundation's calendar).

import Foundation
@testable import SLACore

struct RollupScenario {
    /// The stream, in arrival order: repeats and corrections included.
    var stream: [Outcome] = []
    /// The outcome that counts per slot: the last version of each.
    var final: [Outcome] = []

    static let units = ["U1", "U2", "供电所|3", "U4"]
    static let agents = ["A1", "A2", "A3", nil]
    static let stages = ["repair.dispatch", "repair.arrival", "complaint.resolution"]

    /// `cycles` stage cycles from 2026-11-29 to 2026-12-02 (a month boundary in Beijing time),
    /// each with up to three verdict versions; some overdue, linked, closure and callback outcomes.
    init(seed: UInt64, cycles: Int) {
        var rng = SplitMix64(seed: seed)
        let base = Fixtures.t("2026-11-29T00:00")
        var arrivals: [(Double, Outcome)] = []
        for n in 0..<cycles {
            let unit = Self.units[Int.random(in: 0..<Self.units.count, using: &rng)]
            let agent = Self.agents[Int.random(in: 0..<Self.agents.count, using: &rng)]
            let stage = Self.stages[Int.random(in: 0..<Self.stages.count, using: &rng)]
            let kind: SubjectKind = stage.hasPrefix("repair") ? .faultRepair : .complaint
            let region: Region? = [Region.urban, .rural, nil][Int.random(in: 0..<3, using: &rng)]
            let start = base.adding(.minutes(Int64.random(in: 0..<(4 * 24 * 60), using: &rng)))
            let deadline = start.adding(.minutes(45))
            func outcome(_ id: String, _ result: Outcome.Result, at: Timestamp, elapsed: TimeSpan? = nil, satisfaction: Int? = nil) -> Outcome {
                Outcome(outcomeId: id, result: result, subject: SubjectID(.ticket, "T\(n)"), kind: kind, stage: stage, unit: unit, agent: agent,
                        region: region, customerClass: nil, deadline: deadline, at: at, elapsed: elapsed, satisfaction: satisfaction, outageId: nil)
            }
            let cycle = "ticket:T\(n):\(stage)@\(start.milliseconds)"
            var arrival = Double(n)
            func arrive(_ o: Outcome) {
                arrivals.append((arrival, o))
                // Repeats come later, as at-least-once delivery brings them.
                if Int.random(in: 0..<5, using: &rng) == 0 { arrivals.append((arrival + Double.random(in: 1...200, using: &rng), o)) }
                arrival += Double.random(in: 0.1...50, using: &rng)
            }
            if Int.random(in: 0..<4, using: &rng) == 0 { arrive(outcome(cycle + ":sla.overdue", .overdue, at: deadline)) }
            if Int.random(in: 0..<10, using: &rng) == 0 { arrive(outcome("ticket:T\(n):link:sla.linked", .linked, at: start)) }
            let versions = Int.random(in: 1...3, using: &rng)
            var last: Outcome?
            for _ in 0..<versions {
                let used = TimeSpan.seconds(Int64.random(in: 5...(3 * 3600), using: &rng))
                let end = start.adding(used)
                let result: Outcome.Result = Int.random(in: 0..<8, using: &rng) == 0 ? .voided : (end <= deadline ? .met : .missed)
                let tag = result == .met ? "sla.met" : (result == .missed ? "sla.missed" : "sla.stopped")
                let o = outcome("\(cycle):\(tag)@\(end.milliseconds)", result, at: end, elapsed: used)
                arrive(o)
                last = o
            }
            if let last { final.append(last) }
            if Int.random(in: 0..<3, using: &rng) == 0 {
                arrive(outcome("ticket:T\(n):closure:c\(n)", .closed, at: start.adding(.hours(4))))
                if Bool.random(using: &rng) {
                    arrive(outcome("ticket:T\(n):closure:cb\(n)", .callback, at: start.adding(.hours(5)), satisfaction: Int.random(in: 1...5, using: &rng)))
                }
            }
        }
        stream = arrivals.sorted { $0.0 < $1.0 }.map(\.1)
        var seen = Set<String>()
        for o in stream where o.result != .met && o.result != .missed && o.result != .voided && seen.insert(o.outcomeId).inserted { final.append(o) }
    }

    /// What one expected cell holds.
    struct Expected: Equatable {
        var met = 0, missed = 0, voided = 0, overdue = 0, linked = 0, closed = 0, callbacks = 0, satisfaction = 0
        var elapsedSeconds: [Int64] = []
        var elapsedMilliseconds: Int64 = 0
    }

    /// Window labels through Foundation's calendar in Asia/Shanghai.
    static func labels(_ t: Timestamp) -> [RollupGrain: String] {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = cal.dateComponents([.year, .month, .day, .hour], from: Date(timeIntervalSince1970: Double(t.milliseconds) / 1000))
        let month = String(format: "%04d-%02d", c.year!, c.month!)
        let day = month + String(format: "-%02d", c.day!)
        return [.year: String(format: "%04d", c.year!), .quarter: String(format: "%04d-Q%d", c.year!, (c.month! + 2) / 3), .month: month,
                .day: day, .hour: day + String(format: "T%02d", c.hour!)]
    }

    /// Expected cells by the text of their key, for one view.
    func expected(_ view: RollupView) -> [String: Expected] {
        var out: [String: Expected] = [:]
        for o in final {
            if view == .agent && o.agent == nil { continue }
            for (grain, label) in Self.labels(o.at) {
                let owner = view == .unit ? (o.unit ?? "-") : o.agent!
                let escaped = owner.replacingOccurrences(of: "|", with: "%7C")
                let keys = view == .unit ? ["unit|\(grain.rawValue)|\(label)|\(escaped)|\(o.kind.rawValue)|\(o.stage)|\(o.region?.rawValue ?? "-")"]
                                         : ["agent|\(grain.rawValue)|\(label)|\(escaped)", "agent|\(grain.rawValue)|\(label)|\(escaped)|\(o.stage)"]
                for key in keys {
                var e = out[key] ?? Expected()
                switch o.result {
                case .met: e.met += 1
                case .missed: e.missed += 1
                case .voided: e.voided += 1
                case .overdue: e.overdue += 1
                case .linked: e.linked += 1
                case .closed: e.closed += 1
                case .callback: e.callbacks += 1; e.satisfaction += o.satisfaction ?? 0
                case .retracted: continue  // a withdrawn overdue counts nothing
                case .received, .handled, .answered, .reopened, .sentBack: continue  // the scenario has no volumes (VolumeTests)
                }
                if o.result == .met || o.result == .missed, let el = o.elapsed {
                    e.elapsedSeconds.append(el.milliseconds / 1000); e.elapsedMilliseconds += el.milliseconds
                }
                out[key] = e
                }
            }
        }
        return out
    }
}
