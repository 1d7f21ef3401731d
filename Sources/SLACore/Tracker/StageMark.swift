// What has already been emitted for one cycle of one stage, so nothing is emitted twice.

/// Emission flags of one stage cycle.
struct StageMark: Equatable {
    var stage: Int
    var cycle: Int
    var bits: UInt32

    static let started: UInt32 = 1 << 0
    static let warning: UInt32 = 1 << 1
    static let overdue: UInt32 = 1 << 2
    static let outcome: UInt32 = 1 << 3
    static let immediate: UInt32 = 1 << 4
    /// Escalation step `i` uses bit `5 + i`; the policy loader caps ladders accordingly.
    static func escalation(_ i: Int) -> UInt32 { 1 << UInt32(5 + i) }
    /// Longest ladder the flags can hold.
    static let maxLadder = 27
}
