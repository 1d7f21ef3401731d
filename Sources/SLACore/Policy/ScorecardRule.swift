// How a unit's monthly score is computed: points taken off per overdue and per missed stage.

/// The monthly scorecard's deductions, in thousandths of a point so that sums stay exact.
public struct ScorecardRule: Sendable, Hashable {
    /// Points off per `sla.overdue` and per `sla.missed` of a stage.
    public struct Deduction: Sendable, Hashable {
        public var overdue: Int64
        public var missed: Int64
        public init(overdue: Int64, missed: Int64) { self.overdue = overdue; self.missed = missed }
    }

    /// What every stage costs unless ``perStage`` says otherwise.
    public var deduction: Deduction
    /// Stage-specific deductions, by stage id.
    public var perStage: [String: Deduction]
    /// A unit scoring below this (thousandths) is on the month's assessment list (考核).
    public var assessBelow: Int64

    /// The defaults: 1 point per overdue, 0.5 per missed stage, units below 90 assessed.
    public static let standard = ScorecardRule(deduction: Deduction(overdue: 1000, missed: 500), perStage: [:], assessBelow: 90_000)

    public init(deduction: Deduction, perStage: [String: Deduction], assessBelow: Int64) {
        self.deduction = deduction; self.perStage = perStage; self.assessBelow = assessBelow
    }

    /// Thousandths of a point a month cell of this stage costs.
    public func deductions(stage: String, overdue: Int64, missed: Int64) -> Int64 {
        let d = perStage[stage] ?? deduction
        return overdue * d.overdue + missed * d.missed
    }
}
