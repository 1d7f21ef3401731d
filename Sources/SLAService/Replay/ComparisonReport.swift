// The table `slawatch replay --compare` prints: per unit and stage, the flips and both months.

import SLACore

/// Renders a ``PolicyComparison`` for a terminal.
public enum ComparisonReport {
    /// One block per month: a line per unit (flips, on-time rate, score, rank and grade under A
    /// and B) and under it a line per stage that has verdicts or flips.
    public static func table(_ c: PolicyComparison) -> String {
        var lines = [DemoView.pad("month", 9) + DemoView.pad("unit / stage", 30) + DemoView.pad("met→missed", 11, right: true)
                     + DemoView.pad("missed→met", 11, right: true) + DemoView.pad("other", 6, right: true)
                     + DemoView.pad("on time A", 10, right: true) + DemoView.pad("on time B", 10, right: true)
                     + DemoView.pad("score A", 8, right: true) + DemoView.pad("score B", 8, right: true) + "  rank and grade A → B"]
        for u in c.units {
            let flips = u.stages.values.reduce((0, 0, 0)) { ($0.0 + $1.metToMissed, $0.1 + $1.missedToMet, $0.2 + $1.changed) }
            lines.append(DemoView.pad(u.month, 9) + DemoView.pad(u.unit, 30) + counts(flips)
                         + DemoView.pad(rate(u.a?.met, u.a?.missed), 10, right: true) + DemoView.pad(rate(u.b?.met, u.b?.missed), 10, right: true)
                         + DemoView.pad(score(u.a), 8, right: true) + DemoView.pad(score(u.b), 8, right: true)
                         + "  " + standing(u.a, u.rankA) + " → " + standing(u.b, u.rankB))
            let stageIds = Set((u.a?.stages ?? []).map(\.stage)).union((u.b?.stages ?? []).map(\.stage)).union(u.stages.keys).sorted()
            for id in stageIds {
                let sa = u.a?.stages.first { $0.stage == id }, sb = u.b?.stages.first { $0.stage == id }
                let f = u.stages[id] ?? (0, 0, 0)
                lines.append(DemoView.pad("", 9) + DemoView.pad("  " + id, 30) + counts((f.metToMissed, f.missedToMet, f.changed))
                             + DemoView.pad(rate(sa?.met, sa?.missed), 10, right: true) + DemoView.pad(rate(sb?.met, sb?.missed), 10, right: true))
            }
        }
        lines.append("\(c.cycles) stage cycles compared: \(c.metToMissed) met→missed, \(c.missedToMet) missed→met, "
                     + "\(c.differences.count - c.metToMissed - c.missedToMet) other changes of verdict")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func counts(_ f: (Int, Int, Int)) -> String {
        DemoView.pad("\(f.0)", 11, right: true) + DemoView.pad("\(f.1)", 11, right: true) + DemoView.pad("\(f.2)", 6, right: true)
    }

    private static func rate(_ met: Int64?, _ missed: Int64?) -> String { ReplaySummary.percent(met ?? 0, missed ?? 0) }

    private static func score(_ c: Scorecard?) -> String { c.map { ReplaySummary.points($0.score) } ?? "-" }

    private static func standing(_ c: Scorecard?, _ rank: Int?) -> String {
        guard let c else { return "-" }
        return (rank.map { "#\($0) " } ?? "") + c.grade.rawValue
    }
}
