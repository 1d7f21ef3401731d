// Renders the effective stage table of a policy for operators (`slawatch policy show`).

import SLACore

/// A plain-text table of a policy's stages.
public enum PolicyTable {
    /// The table, one stage per block, with limits, warnings and ladders spelled out.
    public static func render(_ p: Policy) -> String {
        var out = "policy \(p.version): \(p.stages.count) stages\n"
        for (subject, actions) in p.stopAllOn.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            out += "every \(subject.rawValue) clock stops on: \(actions.sorted().map(\.rawValue).joined(separator: ", "))\n"
        }
        out += "closed subjects kept for \(p.retainAfterClose)\n"
        for s in p.stages {
            out += "\n[\(s.id)] rule \(s.rule): \(s.title)\n"
            out += "  kinds:  \(s.kinds.sorted { $0.rawValue < $1.rawValue }.map(\.rawValue).joined(separator: ", "))\n"
            out += "  clock:  \(s.start.sorted().map(\.rawValue).joined(separator: " | ")) -> \(s.stop.map(\.description).joined(separator: " | "))\n"
            if !s.void.isEmpty { out += "  void:   \(s.void.sorted().map(\.rawValue).joined(separator: ", "))\n" }
            out += "  limit:  \(limit(s.limit))\n"
            if !s.missedOn.isEmpty || s.missedAt != nil {
                let how = s.missedOn.sorted().map(\.rawValue) + (s.missedAt.map { ["\($0.rawValue) passing"] } ?? [])
                out += "  missed: at \(how.joined(separator: " or ")) before the stop\n"
            }
            out += "  charged to: \(s.charged == .centre ? "the centre (\(p.centre))" : "the unit holding the ticket")\n"
            if s.skipIfLinked { out += "  not timed for tickets inside a known outage (rule 1)\n" }
            if !s.alarms { out += "  judged at the stop only (no warning, overdue or escalation)\n" }
            if let w = s.warnAt { out += "  warn:   at \(Int((w * 100).rounded())) % of the time\n" }
            for step in s.escalation {
                out += "  escalate \(step.offset.milliseconds >= 0 ? "+" : "")\(step.offset) from the deadline: \(step.level) -> \(step.to)\n"
            }
            if let i = s.immediate { out += "  escalate at once when \(i.when): \(i.level) -> \(i.to)\n" }
        }
        return out
    }

    private static func limit(_ l: StageLimit) -> String {
        switch l {
        case .after(.single(let a)): return "\(a) after the start"
        case .after(.byRegion(let t)):
            return Region.allCases.map { "\($0.rawValue) \(t[$0]!)" }.joined(separator: ", ") + " after the start"
        case .after(.byCustomerClass(let t, let otherwise)):
            var parts = CustomerClass.allCases.compactMap { c in t[c].map { "\(c.rawValue) \($0)" } }
            if let o = otherwise { parts.append("otherwise \(o)") }
            return parts.joined(separator: ", ") + " after the start"
        case .before(let at, let lead):
            return lead == .zero ? "at \(at.rawValue)" : "\(lead) before \(at.rawValue)"
        }
    }
}
