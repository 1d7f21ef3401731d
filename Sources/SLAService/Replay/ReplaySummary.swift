// The table `slawatch replay --summary` prints: each unit's month, its stages, score, grade and rank.

import Foundation
import SLACore

/// Renders the units' monthly scorecards of a replay as a table for a terminal.
public enum ReplaySummary {
    /// One block per month: a line per unit (verdicts, on-time rate, overdue, score, grade,
    /// rank) and under it a line per stage (verdicts, on-time rate, overdue, points off).
    public static func table(_ scorecards: [Scorecard]) -> String {
        let units = scorecards.filter { $0.view == .unit }.sorted { ($0.month.label, $0.owner) < ($1.month.label, $1.owner) }
        guard !units.isEmpty else { return "no verdicts: no unit has a scorecard\n" }
        let ranks = Ranking.ranks(units)
        var lines = [DemoView.pad("month", 9) + DemoView.pad("unit / stage", 30) + DemoView.pad("verdicts", 9, right: true) + DemoView.pad("on time", 9, right: true)
                     + DemoView.pad("overdue", 8, right: true) + DemoView.pad("off", 7, right: true) + DemoView.pad("score", 7, right: true) + DemoView.pad("rank", 6, right: true) + "  grade"]
        for c in units {
            lines.append(DemoView.pad(c.month.label, 9) + DemoView.pad(c.owner, 30) + DemoView.pad("\(c.verdicts)", 9, right: true)
                         + DemoView.pad(percent(c.met, c.missed), 9, right: true) + DemoView.pad("\(c.overdue)", 8, right: true)
                         + DemoView.pad(points(c.deductions), 7, right: true) + DemoView.pad(points(c.score), 7, right: true)
                         + DemoView.pad(ranks[c.keyText].map(String.init) ?? "-", 6, right: true) + "  " + c.grade.rawValue)
            for s in c.stages {
                lines.append(DemoView.pad("", 9) + DemoView.pad("  " + s.stage, 30) + DemoView.pad("\(s.met + s.missed)", 9, right: true)
                             + DemoView.pad(percent(s.met, s.missed), 9, right: true) + DemoView.pad("\(s.overdue)", 8, right: true)
                             + DemoView.pad(points(s.deductions), 7, right: true))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An on-time rate as the replay's tables print it ("-" without verdicts).
    static func percent(_ met: Int64, _ missed: Int64) -> String {
        met + missed == 0 ? "-" : String(format: "%.1f %%", Double(met) * 100 / Double(met + missed))
    }

    /// Thousandths of a point, with one decimal.
    static func points(_ thousandths: Int64) -> String { String(format: "%.1f", Double(thousandths) / 1000) }
}
