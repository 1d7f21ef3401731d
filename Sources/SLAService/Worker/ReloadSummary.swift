// What a live reload of the policy and calendar changed, for its log line.

import SLACore

/// The outcome of applying new files on one worker.
public struct ReloadSummary: Sendable, Equatable {
    /// The files before and after.
    public var from: FilesIdentity
    public var to: FilesIdentity
    /// Subjects evaluated again under the new files.
    public var subjects = 0
    /// Deadlines moved (`sla.rescheduled`).
    public var rescheduled = 0
    /// Alarms withdrawn (`sla.retracted`).
    public var retracted = 0
    /// Clocks that started now that they can be timed (`sla.started`).
    public var started = 0
    /// Clocks that cannot be timed under the new files (`sla.unresolved`).
    public var unresolved = 0

    init(from: FilesIdentity, to: FilesIdentity) { self.from = from; self.to = to }

    /// Adds another owner's counts (same files) to these.
    mutating func add(_ o: ReloadSummary) {
        subjects += o.subjects; rescheduled += o.rescheduled; retracted += o.retracted
        started += o.started; unresolved += o.unresolved
    }

    mutating func count(_ type: SLAEventType) {
        switch type {
        case .rescheduled: rescheduled += 1
        case .retracted: retracted += 1
        case .started: started += 1
        case .unresolved: unresolved += 1
        default: break
        }
    }
}
