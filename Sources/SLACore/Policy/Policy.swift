// The whole SLA policy: its version, the stages, and what stops every clock.

/// The SLA policy in force. Every emitted event carries ``version``.
public struct Policy: Sendable, Hashable {
    /// Operator-chosen version string, carried by every emitted event.
    public var version: String
    /// The stages, in file order.
    public var stages: [StageRule]
    /// Actions that end every running cycle of a subject (`closed`, `cancelled`).
    public var stopAllOn: [SubjectType: Set<LifecycleAction>]
    /// How long, in event time, a subject whose clocks all stopped after a terminal action
    /// is kept (for late events and `reopened`) before its state is dropped.
    public var retainAfterClose: TimeSpan

    /// Creates a policy.
    public init(version: String, stages: [StageRule], stopAllOn: [SubjectType: Set<LifecycleAction>],
                retainAfterClose: TimeSpan) {
        self.version = version; self.stages = stages; self.stopAllOn = stopAllOn
        self.retainAfterClose = retainAfterClose
    }

    /// The stages that apply to a kind, with their indices in ``stages``.
    public func stages(for kind: SubjectKind) -> [(index: Int, rule: StageRule)] {
        stages.enumerated().filter { $0.element.kinds.contains(kind) }.map { ($0.offset, $0.element) }
    }
}
