// What a second policy (or calendar) would change: the stage cycles whose verdict flips, and
// each unit's month under both.

/// Compares the assessment of one input under two policies (A and B): the ticket-level verdict
/// rows cycle by cycle, and the units' monthly scorecards.
///
/// A cycle is the same cycle under both when its key (subject, stage, start) is: the limits
/// move deadlines, not starts. A flip is a cycle `met` under one and `missed` under the other;
/// any other difference of verdict (a cycle voided, judged under one only, still pending) is a
/// *change*. A flip or change counts for the unit charged under A (under B when A has no row)
/// and the month of A's row.
public struct PolicyComparison: Sendable {
    /// One cycle whose verdict differs.
    public struct Difference: Sendable {
        /// Under A and under B (nil: no row — the cycle has no verdict and no overdue there).
        public var a: VerdictRow?
        public var b: VerdictRow?
        /// `met→missed`, `missed→met`, or `<A's verdict or none>→<B's>`.
        public var change: String {
            "\(a?.verdict ?? "none")→\(b?.verdict ?? "none")"
        }
        /// Met under one, missed under the other.
        public var isFlip: Bool { change == "met→missed" || change == "missed→met" }
        var row: VerdictRow { a ?? b! }
    }

    /// A unit's month under both (nil: no scorecard there).
    public struct UnitMonth: Sendable {
        public var month: String
        public var unit: String
        public var a: Scorecard?
        public var b: Scorecard?
        public var rankA: Int?
        public var rankB: Int?
        /// Flips and changes per stage, charged to this unit this month.
        public var stages: [String: (metToMissed: Int, missedToMet: Int, changed: Int)] = [:]
    }

    /// Every cycle whose verdict differs, by cycle key.
    public private(set) var differences: [Difference] = []
    /// Each unit's month present under either, by month then unit.
    public private(set) var units: [UnitMonth] = []
    /// Cycles with a row under either policy.
    public private(set) var cycles = 0

    /// Compares what two replays of the same input left (``RollupBook/Changes`` of everything).
    public init(a: RollupBook.Changes, b: RollupBook.Changes) {
        let rowsA = Dictionary(a.verdicts.map { ($0.keyText, $0) }, uniquingKeysWith: { $1 })
        let rowsB = Dictionary(b.verdicts.map { ($0.keyText, $0) }, uniquingKeysWith: { $1 })
        let keys = Set(rowsA.keys).union(rowsB.keys).sorted()
        cycles = keys.count
        for key in keys where rowsA[key]?.verdict != rowsB[key]?.verdict {
            differences.append(Difference(a: rowsA[key], b: rowsB[key]))
        }
        let cardsA = a.scorecards.filter { $0.view == .unit }, cardsB = b.scorecards.filter { $0.view == .unit }
        let ranksA = Ranking.ranks(cardsA), ranksB = Ranking.ranks(cardsB)
        var byUnit: [String: UnitMonth] = [:]
        func entry(_ month: String, _ unit: String) -> String {
            let k = month + "|" + unit
            if byUnit[k] == nil { byUnit[k] = UnitMonth(month: month, unit: unit) }
            return k
        }
        for c in cardsA { let k = entry(c.month.label, c.owner); byUnit[k]!.a = c; byUnit[k]!.rankA = ranksA[c.keyText] }
        for c in cardsB { let k = entry(c.month.label, c.owner); byUnit[k]!.b = c; byUnit[k]!.rankB = ranksB[c.keyText] }
        for d in differences {
            let r = d.row
            let k = entry(r.month.label, r.chargedTo ?? r.unit ?? "")
            var s = byUnit[k]!.stages[r.stage] ?? (0, 0, 0)
            switch d.change {
            case "met→missed": s.metToMissed += 1
            case "missed→met": s.missedToMet += 1
            default: s.changed += 1
            }
            byUnit[k]!.stages[r.stage] = s
        }
        units = byUnit.values.sorted { ($0.month, $0.unit) < ($1.month, $1.unit) }
    }

    /// Cycles met under A and missed under B, and the reverse.
    public var metToMissed: Int { differences.filter { $0.change == "met→missed" }.count }
    public var missedToMet: Int { differences.filter { $0.change == "missed→met" }.count }
}

extension PolicyComparison.Difference {
    /// One line of the flips file: the cycle, and its verdict, deadline, elapsed time and the
    /// party charged under A and under B.
    public func json(calendar: BusinessCalendar) -> [UInt8] {
        var j = JSONText()
        let r = row
        j.add("change", change)
        j.add("flip", isFlip)
        j.add("subject_type", r.subject.type.rawValue)
        j.add("subject_id", r.subject.id)
        j.add("kind", r.kind.rawValue)
        j.add("stage", r.stage)
        j.add("cycle", r.cycle.map(Int64.init))
        j.add("started_at", r.startedAt, in: calendar)
        j.add("month", r.month.label)
        for (suffix, side) in [("a", a), ("b", b)] {
            j.add("verdict_" + suffix, side?.verdict)
            j.add("deadline_" + suffix, side?.deadline, in: calendar)
            j.add("ended_at_" + suffix, side?.endedAt, in: calendar)
            j.add("elapsed_seconds_" + suffix, side?.elapsed.map { Double($0.milliseconds) / 1000 })
            j.add("charged_to_" + suffix, side?.chargedTo)
            j.add("overdue_" + suffix, side?.overdue)
        }
        return j.bytes()
    }
}
