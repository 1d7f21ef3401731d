// What has already been emitted for one cycle of one stage, so nothing is emitted twice.

/// Emission flags of one stage cycle. A cycle is known by its start instant, not its ordinal:
/// a start event that arrives late renumbers the cycles after it, but moves no start.
struct StageMark: Equatable {
    var stage: Int
    var start: Int64
    var bits: UInt32
    /// When the verdict last emitted for the cycle ended it (its type is in ``bits``).
    var verdictEnd: Int64?

    static let started: UInt32 = 1 << 0
    static let warning: UInt32 = 1 << 1
    static let overdue: UInt32 = 1 << 2
    static let met: UInt32 = 1 << 3
    static let immediate: UInt32 = 1 << 4
    /// Escalation step `i` uses bit `5 + i`; the policy loader caps ladders accordingly.
    static func escalation(_ i: Int) -> UInt32 { 1 << UInt32(5 + i) }
    /// Longest ladder the flags can hold.
    static let maxLadder = 25
    // The verdict last emitted: a late event can change a cycle's verdict (a `closed` seen
    // before the earlier `dispatched`) or its end, and the corrected verdict must still go out.
    static let missed: UInt32 = 1 << 30
    static let stopped: UInt32 = 1 << 31

    /// The flag of a verdict.
    static func verdict(_ v: StageRun.Verdict) -> UInt32 {
        switch v { case .met: return met; case .missed: return missed; case .stopped: return stopped }
    }
}
