// An event that stops a stage: an action, optionally narrowed by `reported_to`.

/// What stops a stage: an action, and for on-site reports the desk it went to (rule 4).
public struct StopCondition: Sendable, Hashable, CustomStringConvertible {
    /// The stopping action.
    public var action: LifecycleAction
    /// When set, only a report to this desk stops the stage.
    public var reportedTo: ReportedTo?

    /// Creates a stop condition.
    public init(_ action: LifecycleAction, reportedTo: ReportedTo? = nil) {
        self.action = action; self.reportedTo = reportedTo
    }

    public var description: String {
        reportedTo.map { "\(action.rawValue)[\($0.rawValue)]" } ?? action.rawValue
    }
}
