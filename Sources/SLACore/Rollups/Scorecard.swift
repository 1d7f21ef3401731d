// A unit's (or an agent's) month on the 100-point scale: its stages, deductions, grade, and whether it is assessed.

/// One unit's monthly scorecard, derived from its month rollup cells (by `charged_to`); or,
/// contract v1.4, one agent's, from the agent's month cells of each stage.
public struct Scorecard: Sendable, Equatable {
    /// Grades of the domain: excellent ≥ 90, pass 70–89, fail < 70; and no grade for a unit
    /// with too few verdicts to judge.
    public enum Grade: String, Sendable {
        case excellent, pass, fail
        case insufficientVolume = "insufficient_volume"
    }

    /// One stage's month.
    public struct Stage: Sendable, Equatable {
        public var stage: String
        public var met: Int64
        public var missed: Int64
        public var overdue: Int64
        /// The rate expected (``ScorecardRule/Deduction/target``).
        public var target: Double
        /// Points off for the stage, in thousandths.
        public var deductions: Int64
        public var onTimeRate: Double? { met + missed > 0 ? Double(met) / Double(met + missed) : nil }
    }

    public var month: RollupWindow
    /// The unit charged (unit view) or the agent (agent view).
    public var owner: String
    /// Whose month it is.
    public var view: RollupView = .unit
    public var met: Int64
    public var missed: Int64
    public var overdue: Int64
    /// Points taken off, in thousandths.
    public var deductions: Int64
    /// Sum of the revisions of the month cells it is made of: grows with every change.
    public var revision: Int64
    /// The assessment threshold it was judged against, in thousandths.
    public var assessBelow: Int64
    /// Each stage with verdicts or overdues, by stage id.
    public var stages: [Stage] = []
    /// How the deductions were computed.
    public var method: ScorecardRule.Method = .perEvent
    /// The fewest verdicts that are graded.
    public var minVolume: Int64 = 0

    /// Verdicts (met and missed) of the month.
    public var verdicts: Int64 { met + missed }

    /// Whether there are enough verdicts to grade the unit.
    public var graded: Bool { verdicts >= minVolume }

    /// 100 minus the deductions, not below 0, in thousandths.
    public var score: Int64 { max(0, 100_000 - deductions) }

    public var grade: Grade {
        guard graded else { return .insufficientVolume }
        return score >= 90_000 ? .excellent : (score >= 70_000 ? .pass : .fail)
    }

    /// Whether the unit is on the month's list of units to be assessed: any missed verdict,
    /// or a graded score below the policy's `assess_below` (default: below pass).
    public var assessed: Bool { missed > 0 || (graded && score < assessBelow) }

    /// The record's key on the rollups topic: `scorecard|<month>|<unit>` or `agent_scorecard|<month>|<agent>`.
    public var keyText: String { "\(view == .unit ? "scorecard" : "agent_scorecard")|\(month.label)|\(RollupKey.escaped(owner))" }

    /// The scorecard as one JSON object in UTF-8 (a record value).
    public func json(calendar: BusinessCalendar, asOf: Timestamp) -> [UInt8] {
        var j = JSONText()
        j.add("record", view == .unit ? "scorecard" : "agent_scorecard")
        j.add("month", month.label)
        j.add("window_start", month.start, in: calendar)
        j.add("window_end", month.end, in: calendar)
        j.add(view == .unit ? "unit" : "agent", owner)
        j.add("score", Double(score) / 1000)
        j.add("grade", grade.rawValue)
        j.add("graded", graded)
        j.add("assessed", assessed)
        j.add("method", method.rawValue)
        j.add("deductions", Double(deductions) / 1000)
        j.add("verdicts", verdicts)
        j.add("met", met)
        j.add("missed", missed)
        j.add("overdue", overdue)
        j.add("on_time_rate", met + missed > 0 ? Double(met) / Double(met + missed) : nil)
        j.add("stages", objects: stages.map { s in
            var o = JSONText()
            o.add("stage", s.stage); o.add("met", s.met); o.add("missed", s.missed); o.add("overdue", s.overdue)
            o.add("on_time_rate", s.onTimeRate); o.add("target", s.target); o.add("deductions", Double(s.deductions) / 1000)
            return o
        })
        j.add("as_of", asOf, in: calendar)
        j.add("revision", revision)
        return j.bytes()
    }
}
