// The demo's terminal view: a table redrawn every second, or one line per second when not a terminal.

import Foundation
import SLACore

/// Renders a ``DemoTally`` for a terminal.
public enum DemoView {
    /// The full table: active clocks, overdue, warnings and on-time rate per stage, escalations by level.
    public static func table(_ t: DemoTally, header: String) -> String {
        var lines = [header, ""]
        lines.append(pad("stage", 28) + pad("active", 8, right: true) + pad("met", 7, right: true) + pad("missed", 8, right: true)
                     + pad("warned", 8, right: true) + pad("overdue", 9, right: true) + pad("on time", 9, right: true))
        for (id, s) in t.stages.sorted(by: { $0.key < $1.key }) {
            lines.append(pad(id, 28) + pad("\(s.active)", 8, right: true) + pad("\(s.met)", 7, right: true) + pad("\(s.missed)", 8, right: true)
                         + pad("\(s.warnings)", 8, right: true) + pad("\(s.overdue)", 9, right: true) + pad(percent(s.onTimeRate), 9, right: true))
        }
        let all = t.total
        lines.append(pad("all stages", 28) + pad("\(all.active)", 8, right: true) + pad("\(all.met)", 7, right: true) + pad("\(all.missed)", 8, right: true)
                     + pad("\(all.warnings)", 8, right: true) + pad("\(all.overdue)", 9, right: true) + pad(percent(all.onTimeRate), 9, right: true))
        lines.append("")
        let esc = t.escalations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("escalations: \(esc.isEmpty ? "none yet" : esc)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One progress line, for logs and pipes.
    public static func line(_ t: DemoTally, header: String) -> String {
        let all = t.total
        let esc = t.escalations.values.reduce(0, +)
        return "\(header) | active \(all.active) | met \(all.met) | missed \(all.missed) | overdue \(all.overdue) | escalations \(esc) | on time \(percent(all.onTimeRate))\n"
    }

    static func percent(_ r: Double?) -> String { r.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let gap = String(repeating: " ", count: max(1, width - s.count))
        return right ? gap + s : s + gap
    }
}
