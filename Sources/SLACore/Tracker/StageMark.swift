// What has already been published for one cycle of one stage, so nothing is published twice.

/// Publication record of one stage cycle. A cycle is known by its start instant, not its
/// ordinal: a start event that arrives late renumbers the cycles after it, but moves no start.
struct StageMark: Equatable {
    // Stored so that a mark is 48 bytes, not 72 (one is kept per cycle of every open ticket):
    // the two optional instants are kept as plain integers with `Int64.min` for none, since
    // an optional `Int64` pads to 16 bytes. No instant is that far back.
    var start: Int64
    /// The revision each alarm fired at, for alarms fired at a revision above 0.
    var alarmRevisions: [AlarmRevision] = []
    private var verdictEndOrMin: Int64 = .min
    private var deadlineOrMin: Int64 = .min
    /// The stage's index in the policy, kept in 2 bytes (a mark is 48 bytes, not 56).
    private var stageIndex: UInt16
    var bits: UInt32
    /// How often the published deadline moved. Alarms fired after a move carry it in their ids
    /// (`#r2`), so an alarm that is withdrawn and fires again is a new event.
    var revision: UInt16 = 0
    /// How often the cycle was withdrawn (a late event showed it never ran). One that comes
    /// back (a later event again) publishes under ids carrying `#w<n>`, so nothing it says
    /// repeats the id of what was withdrawn.
    var withdrawals: UInt16 = 0
    /// Why the cycle waits untimed now (nil once it is timed).
    var waiting: UnresolvedReason.Code?

    /// When the verdict last emitted for the cycle ended it (its type is in ``bits``).
    var verdictEnd: Int64? {
        get { verdictEndOrMin == .min ? nil : verdictEndOrMin }
        set { verdictEndOrMin = newValue ?? .min }
    }
    /// The deadline last published for the cycle (with `sla.started`, `sla.rescheduled` or its
    /// verdict): a derived deadline that differs from it is news.
    var deadline: Int64? {
        get { deadlineOrMin == .min ? nil : deadlineOrMin }
        set { deadlineOrMin = newValue ?? .min }
    }

    /// A cycle's record with these flags and nothing else.
    init(stage: Int, start: Int64, bits: UInt32) {
        self.stageIndex = Self.index(stage); self.start = start; self.bits = bits
    }

    /// The stage's index in the policy.
    var stage: Int {
        get { Int(stageIndex) }
        set { stageIndex = Self.index(newValue) }
    }

    private static func index(_ stage: Int) -> UInt16 {
        // No policy has that many stages (each is a block of YAML someone wrote).
        precondition(stage >= 0 && stage <= Int(UInt16.max), "stage index \(stage) out of range")
        return UInt16(stage)
    }

    /// An alarm flag and the revision it fired at.
    struct AlarmRevision: Equatable {
        var flag: UInt32
        var revision: UInt16
    }

    static let started: UInt32 = 1 << 0
    static let warning: UInt32 = 1 << 1
    static let overdue: UInt32 = 1 << 2
    static let met: UInt32 = 1 << 3
    static let immediate: UInt32 = 1 << 4
    /// Escalation step `i` uses bit `5 + i`; the policy loader caps ladders accordingly.
    static func escalation(_ i: Int) -> UInt32 { 1 << UInt32(5 + i) }
    /// Longest ladder the flags can hold (bits 5 … 27).
    static let maxLadder = 23
    /// `sla.unresolved` was published for the cycle.
    static let unresolved: UInt32 = 1 << 28
    /// The verdict stands on the published deadline: it was given before the files changed, and
    /// new files do not re-judge what a unit was already judged on.
    static let frozen: UInt32 = 1 << 29
    // The verdict last emitted: a late event can change a cycle's verdict (a `closed` seen
    // before the earlier `dispatched`) or its end, and the corrected verdict must still go out.
    static let missed: UInt32 = 1 << 30
    static let stopped: UInt32 = 1 << 31
    /// Any verdict.
    static let verdicts: UInt32 = met | missed | stopped

    /// The flag of a verdict.
    static func verdict(_ v: StageRun.Verdict) -> UInt32 {
        switch v { case .met: return met; case .missed: return missed; case .stopped: return stopped }
    }

    /// The revision an alarm fired at.
    func revision(ofAlarm flag: UInt32) -> UInt16 { alarmRevisions.first { $0.flag == flag }?.revision ?? 0 }
}
