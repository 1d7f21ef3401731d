// How a unit's monthly score is computed: by how far each stage's on-time rate falls short of
// its target (fair across unit sizes), or by points per overdue and missed stage.

/// The monthly scorecard's rule. Points are kept in thousandths so that sums stay exact.
public struct ScorecardRule: Sendable, Hashable {
    /// How deductions are computed.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// Per stage: points per percentage point of on-time rate below the stage's target,
        /// capped and weighted per stage. A unit is judged on its rate, not its size.
        case rate
        /// Points per overdue and per missed verdict (the rule before contract v1.3): a large
        /// unit loses more for the same rate.
        case perEvent = "per_event"
    }

    /// What one stage costs.
    public struct Deduction: Sendable, Hashable {
        /// `per_event`: points off per overdue (that stands) and per missed verdict.
        public var overdue: Int64
        public var missed: Int64
        /// `rate`: the on-time rate expected (0 … 1, default 1: the rules say 100 %).
        public var target: Double = 1
        /// `rate`: points (thousandths) per percentage point below the target.
        public var pointsPerPercent: Int64 = 1_000
        /// `rate`: the most one stage can cost before its weight (thousandths).
        public var cap: Int64 = 30_000
        /// `rate`: the stage's weight (the cost is multiplied by it).
        public var weight: Double = 1
        public init(overdue: Int64, missed: Int64) { self.overdue = overdue; self.missed = missed }
    }

    /// What every stage costs unless ``perStage`` says otherwise.
    public var deduction: Deduction
    /// Stage-specific deductions, by stage id.
    public var perStage: [String: Deduction]
    /// A unit scoring below this (thousandths) is on the month's assessment list (考核).
    public var assessBelow: Int64
    /// How deductions are computed (default ``Method/rate``).
    public var method: Method = .rate
    /// Fewer verdicts than this in a month: the unit is shown as "insufficient volume", not graded.
    public var minVolume: Int64 = 10
    /// Yearly stars (星级): the lowest mean monthly score (thousandths) for 5, 4, 3 and 2 stars,
    /// descending; a rated year below the last band has 1 star. Default 95 / 90 / 80 / 70.
    public var stars: [Int64] = [95_000, 90_000, 80_000, 70_000]

    /// The defaults: deductions by rate (1 point per percentage point below 100 %, at most 30 per
    /// stage), units with fewer than 10 verdicts not graded, units below 70 (pass) or with any
    /// missed verdict assessed. `per_event` would take 1 point per overdue and 0.5 per miss.
    public static let standard = ScorecardRule(deduction: Deduction(overdue: 1000, missed: 500), perStage: [:], assessBelow: 70_000)

    public init(deduction: Deduction, perStage: [String: Deduction], assessBelow: Int64) {
        self.deduction = deduction; self.perStage = perStage; self.assessBelow = assessBelow
    }

    /// The rule for one stage.
    public func rule(for stage: String) -> Deduction { perStage[stage] ?? deduction }

    /// Thousandths of a point a stage's month costs (its verdicts and the overdues that stand).
    public func deductions(stage: String, met: Int64, missed: Int64, overdue: Int64) -> Int64 {
        let d = rule(for: stage)
        switch method {
        case .perEvent:
            return overdue * d.overdue + missed * d.missed
        case .rate:
            guard met + missed > 0 else { return 0 }
            let rate = Double(met) / Double(met + missed)
            let short = max(0, d.target - rate) * 100  // percentage points
            let cost = min(Double(d.cap), (short * Double(d.pointsPerPercent)).rounded())
            return Int64((cost * d.weight).rounded())
        }
    }
}
