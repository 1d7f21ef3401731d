// One cycle of one stage as derived from a subject's history.

/// A cycle of a stage: when it started, its deadline, and how (and whether) it ended.
struct StageRun {
    /// How a cycle ended.
    enum Verdict: Equatable { case met, missed, stopped }

    var stage: Int
    /// 1 for the first cycle; a stage restarts after a return or a send-back.
    var cycle: Int
    var start: Timestamp
    /// Nil while the deadline cannot be computed (see ``unresolved``).
    var deadline: Timestamp?
    /// Why the deadline cannot be computed yet: an attribute no event has carried, an outage
    /// instant not yet known, or a year the calendar does not cover. The cycle waits, untimed.
    var unresolved: UnresolvedReason?
    /// When the warning falls: a share of the time on the clock, or of the working time for a
    /// working-day limit. Nil without a warning or a deadline.
    var warnAt: Timestamp?
    /// Whether the deadline was counted over a provisional calendar year.
    var provisional = false
    /// Attributes as of the starting event.
    var attributes: SubjectAttributes
    /// When the ticket was first flagged multi-unit during the cycle (rule 11).
    var flaggedAt: Timestamp?
    var end: Timestamp?
    var verdict: Verdict?
    var endedBy: LifecycleAction?
    /// Ended `missed` by ``StageRule/missedOn`` or ``StageRule/missedAt``, not on its deadline.
    var forcedMiss = false
    /// For a missed cycle counted back from an outage instant: the lead it fell short by.
    var shortBy: TimeSpan?
    /// ``StageMark/withdrawals`` of its publication record: carried by its event ids.
    var withdrawals: UInt16 = 0
}
