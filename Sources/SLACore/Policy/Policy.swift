// The whole SLA policy: its version, the stages, and what stops every clock.

/// The SLA policy in force. Every emitted event carries ``version``.
public struct Policy: Sendable, Hashable {
    /// Operator-chosen version string, carried by every emitted event.
    public var version: String
    /// The stages, in file order.
    public var stages: [StageRule] { didSet { byKind = Self.index(stages) } }
    /// Stage indices per kind: looked up for every event, so computed once.
    private var byKind: [SubjectKind: [Int]]
    /// Actions that end every running cycle of a subject (`closed`, `cancelled`).
    public var stopAllOn: [SubjectType: Set<LifecycleAction>]
    /// How long, in event time, a subject whose clocks all stopped after a terminal action
    /// is kept (for late events and `reopened`) before its state is dropped.
    public var retainAfterClose: TimeSpan
    /// Deductions and threshold of the monthly unit scorecards.
    public var scorecard: ScorecardRule
    /// The name stages with `charged: centre` are charged to (`centre:`, default `95598`).
    public var centre: String = "95598"
    /// A stable hash of the file's text (``StableHash``), set by ``PolicyLoader``: an edit that
    /// forgot to change ``version`` is still a different policy.
    public var contentHash: UInt64 = 0

    /// Creates a policy.
    public init(version: String, stages: [StageRule], stopAllOn: [SubjectType: Set<LifecycleAction>],
                retainAfterClose: TimeSpan, scorecard: ScorecardRule = .standard) {
        self.version = version; self.stages = stages; self.stopAllOn = stopAllOn
        self.retainAfterClose = retainAfterClose; self.scorecard = scorecard
        self.byKind = Self.index(stages)
    }

    private static func index(_ stages: [StageRule]) -> [SubjectKind: [Int]] {
        var out: [SubjectKind: [Int]] = [:]
        for (i, s) in stages.enumerated() { for k in s.kinds { out[k, default: []].append(i) } }
        return out
    }

    /// The stages that apply to a kind, with their indices in ``stages``.
    public func stages(for kind: SubjectKind) -> [(index: Int, rule: StageRule)] {
        (byKind[kind] ?? []).map { ($0, stages[$0]) }
    }

    /// Whether any stage times this kind.
    public func times(_ kind: SubjectKind) -> Bool { byKind[kind] != nil }
}
