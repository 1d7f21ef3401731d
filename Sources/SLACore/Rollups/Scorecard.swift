// A unit's month on the 100-point scale: deductions, grade, and whether it is to be assessed.

/// One unit's monthly scorecard, derived from its month rollup cells.
public struct Scorecard: Sendable, Equatable {
    /// Grades of the domain: excellent ≥ 90, pass 70–89, fail < 70.
    public enum Grade: String, Sendable {
        case excellent, pass, fail
    }

    public var month: RollupWindow
    public var unit: String
    public var met: Int64
    public var missed: Int64
    public var overdue: Int64
    /// Points taken off, in thousandths.
    public var deductions: Int64
    /// Sum of the revisions of the month cells it is made of: grows with every change.
    public var revision: Int64
    /// The assessment threshold it was judged against, in thousandths.
    public var assessBelow: Int64

    /// 100 minus the deductions, not below 0, in thousandths.
    public var score: Int64 { max(0, 100_000 - deductions) }

    public var grade: Grade { score >= 90_000 ? .excellent : (score >= 70_000 ? .pass : .fail) }

    /// Whether the unit is on the month's list of units to be assessed.
    public var assessed: Bool { score < assessBelow }

    /// The record's key on the rollups topic.
    public var keyText: String { "scorecard|\(month.label)|\(RollupKey.escaped(unit))" }

    /// The scorecard as one JSON object in UTF-8 (a record value).
    public func json(calendar: BusinessCalendar, asOf: Timestamp) -> [UInt8] {
        var j = JSONText()
        j.add("record", "scorecard")
        j.add("month", month.label)
        j.add("window_start", month.start, in: calendar)
        j.add("window_end", month.end, in: calendar)
        j.add("unit", unit)
        j.add("score", Double(score) / 1000)
        j.add("grade", grade.rawValue)
        j.add("assessed", assessed)
        j.add("deductions", Double(deductions) / 1000)
        j.add("met", met)
        j.add("missed", missed)
        j.add("overdue", overdue)
        j.add("on_time_rate", met + missed > 0 ? Double(met) / Double(met + missed) : nil)
        j.add("as_of", asOf, in: calendar)
        j.add("revision", revision)
        return j.bytes()
    }
}
