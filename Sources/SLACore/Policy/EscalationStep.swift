// One step of an escalation ladder (催办 → supervisor → leader in charge).

/// A rung of an escalation ladder: at `offset` from the deadline, escalate to `level`, addressed to `to`.
public struct EscalationStep: Sendable, Hashable {
    /// From the deadline; negative steps come before it.
    public var offset: TimeSpan
    /// The level, e.g. `urge` (催办), `supervisor`, `leader`.
    public var level: String
    /// The role addressed, e.g. `repair_unit`, `marketing_leader`.
    public var to: String

    /// Creates a step.
    public init(offset: TimeSpan, level: String, to: String) {
        self.offset = offset; self.level = level; self.to = to
    }
}

/// An escalation raised as soon as a condition holds, whatever the clock says (rule 11).
public struct ImmediateEscalation: Sendable, Hashable {
    /// The ticket attribute that triggers it; only `multi_unit` exists in contract v1.
    public var when: String
    /// The level, e.g. `leader`.
    public var level: String
    /// The role addressed, e.g. `marketing_leader`.
    public var to: String

    /// Creates an immediate escalation on `multi_unit`.
    public init(level: String, to: String) { self.when = "multi_unit"; self.level = level; self.to = to }
}
