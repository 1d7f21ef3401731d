// Counters of what a worker did, for logs, the demo view and metrics.

/// A snapshot of a worker's counters.
public struct WorkerStats: Sendable, Equatable {
    /// Input records taken from the input topics.
    public var consumed = 0
    /// Records sent to the dead-letter topic.
    public var deadLettered = 0
    /// Tickets and outages refused for their size (their clocks stopped, see ``SLACore/TrackerLimits``).
    public var refusedSubjects = 0
    /// Records not produced because they would exceed `message.max.bytes` (a dead letter names each).
    public var oversizedRecords = 0
    /// Fault tickets linked to an outage entered after them (their clocks stopped, alarms withdrawn).
    public var linkedLate = 0
    /// Ticket-event outcomes that named no unit (counted under `-`; metric `slawatch_unattributed_outcomes_total`).
    public var unattributedOutcomes = 0
    /// Input events whose `event_id` was applied before.
    public var duplicates = 0
    /// SLA events sent, per type (`sla.overdue` …).
    public var emitted: [String: Int] = [:]
    /// Subjects held (tickets and outages of the owned partitions).
    public var subjects = 0
    /// Timers armed.
    public var timers = 0
    /// Timer firings waiting behind the catch-up rate limit.
    public var catchUpWaiting = 0
    /// Subjects restored from changelogs since start.
    public var restored = 0
    /// Changelog records that could not be decoded (their subject is lost; see the log).
    public var unreadableStates = 0
    /// Partitions owned now.
    public var partitions = 0
    /// Outcomes counted into rollups, per disposition (`applied`, `corrected`, `duplicate`, `tooLate`).
    public var rollupOutcomes: [String: Int] = [:]
    /// Rollup cells and scorecards published.
    public var rollupRecords = 0
    /// Rollup cells held.
    public var rollupCells = 0
    /// Checkpoints completed (outputs and changelog delivered, offsets committed).
    public var checkpoints = 0

    /// Creates empty counters.
    public init() {}

    /// Adds another owner's counters to these (a worker's are the sum of its owners').
    /// Checkpoints are the worker's, counted once: the larger of the two stands.
    mutating func add(_ o: WorkerStats) {
        consumed += o.consumed; deadLettered += o.deadLettered; refusedSubjects += o.refusedSubjects
        oversizedRecords += o.oversizedRecords; linkedLate += o.linkedLate; unattributedOutcomes += o.unattributedOutcomes
        duplicates += o.duplicates; subjects += o.subjects; timers += o.timers; catchUpWaiting += o.catchUpWaiting
        restored += o.restored; unreadableStates += o.unreadableStates; partitions += o.partitions
        rollupRecords += o.rollupRecords; rollupCells += o.rollupCells
        emitted.merge(o.emitted, uniquingKeysWith: +)
        rollupOutcomes.merge(o.rollupOutcomes, uniquingKeysWith: +)
        checkpoints = max(checkpoints, o.checkpoints)
    }
}
