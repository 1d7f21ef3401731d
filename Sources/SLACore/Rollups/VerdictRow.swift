// One stage cycle as the monthly report lists it: its verdict (or none yet) and whether an
// overdue that stands was raised, from the outcomes of its slots.

/// The ticket-level row of one stage cycle (`slawatch_verdicts`, and `verdict|…` records on the
/// rollups topic): made from its verdict outcome and its overdue outcome, so a corrected
/// verdict or a withdrawn overdue corrects the row (a higher revision).
public struct VerdictRow: Sendable, Equatable {
    /// `met`, `missed`, `voided`, or `pending` (no verdict yet).
    public var verdict: String
    /// Whether an overdue (超时) was raised and stands (not withdrawn).
    public var overdue: Bool
    public var subject: SubjectID
    public var kind: SubjectKind
    public var stage: String
    public var cycleKey: String
    public var cycle: Int?
    public var chargedTo: String?
    public var unit: String?
    public var agent: String?
    public var region: Region?
    public var customerClass: CustomerClass?
    public var startedAt: Timestamp?
    public var deadline: Timestamp?
    /// The verdict's time (nil while pending).
    public var endedAt: Timestamp?
    public var elapsed: TimeSpan?
    /// The month it counts in (of its verdict, or of its overdue while pending), as the scorecards do.
    public var month: RollupWindow
    /// Grows with every change of either outcome.
    public var revision: Int64

    /// The row of a cycle from its verdict outcome and its overdue outcome (either may be nil;
    /// nil when both are), each with how many outcomes it superseded.
    public init?(cycleKey: String, verdict v: (outcome: Outcome, superseded: Int)?, overdue o: (outcome: Outcome, superseded: Int)?,
                 calendar: BusinessCalendar) {
        guard let base = v?.outcome ?? o?.outcome else { return nil }
        self.cycleKey = cycleKey
        verdict = v?.outcome.result.rawValue ?? "pending"
        overdue = o?.outcome.result == .overdue
        subject = base.subject; kind = base.kind; stage = base.stage; cycle = base.cycle
        chargedTo = v?.outcome.chargedTo ?? o?.outcome.chargedTo ?? base.unit
        unit = base.unit; agent = base.agent; region = base.region; customerClass = base.customerClass
        startedAt = v?.outcome.startedAt ?? o?.outcome.startedAt
        deadline = v?.outcome.deadline ?? o?.outcome.deadline
        endedAt = v?.outcome.at
        elapsed = v.flatMap { $0.outcome.result == .voided ? nil : $0.outcome.elapsed }
        month = .of(v?.outcome.at ?? base.at, .month, calendar: calendar)
        revision = Int64((v.map { $0.superseded + 1 } ?? 0) + (o.map { $0.superseded + 1 } ?? 0))
    }

    /// The record's key on the rollups topic: `verdict|<ticket|outage>|<id>|<stage>@<cycle start>`.
    public var keyText: String {
        // The cycle key is `<type>:<id>:<stage>@<start>`; the id may itself hold colons.
        let cycle = String(cycleKey.dropFirst(subject.type.rawValue.count + subject.id.count + 2))
        return "verdict|\(subject.type.rawValue)|\(RollupKey.escaped(subject.id))|\(RollupKey.escaped(cycle))"
    }

    /// The row as one JSON object in UTF-8 (a record value).
    public func json(calendar: BusinessCalendar, asOf: Timestamp) -> [UInt8] {
        var j = JSONText()
        j.add("record", "verdict")
        j.add("subject_type", subject.type.rawValue)
        j.add("subject_id", subject.id)
        j.add("kind", kind.rawValue)
        j.add("stage", stage)
        j.add("cycle", cycle.map(Int64.init))
        j.add("month", month.label)
        j.add("charged_to", chargedTo)
        j.add("unit", unit)
        j.add("agent", agent)
        j.add("region", region?.rawValue)
        j.add("customer_class", customerClass?.rawValue)
        j.add("started_at", startedAt, in: calendar)
        j.add("deadline", deadline, in: calendar)
        j.add("ended_at", endedAt, in: calendar)
        j.add("elapsed_seconds", elapsed.map { Double($0.milliseconds) / 1000 })
        j.add("verdict", verdict)
        j.add("overdue", overdue)
        j.add("as_of", asOf, in: calendar)
        j.add("revision", revision)
        return j.bytes()
    }
}
