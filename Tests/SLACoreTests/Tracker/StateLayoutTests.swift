@testable import SLACore
import Testing

/// What one open ticket costs in memory comes mostly from these widths: the subjects table
/// holds a state per subject and its history a fact per applied event.
@Suite struct StateLayoutTests {
    @Test func aStateAndAFactKeepTheirRareFieldsOutOfLine() {
        // 64-bit: history (facts and marks) 8, files tag 8, rare box 8, scheduledAt 9, kind 1 → 34, stride 40.
        #expect(MemoryLayout<SubjectState>.stride == 40)
        // hash 8, time 8, rare box 8, unit/agent/feeder 3 × 4 (pool numbers), action/region/class 3
        // → 39, stride 40.
        #expect(MemoryLayout<Fact>.stride == 40)
    }

    @Test func rareFieldsReadBackAndLeaveNoTraceOnceCleared() {
        var s = SubjectState(kind: .faultRepair)
        s.linkedOutage = "O1"
        s.linkedAt = Timestamp(milliseconds: 5)
        #expect(s.linkedOutage == "O1" && s.linkedAt == Timestamp(milliseconds: 5) && s.linkedTicket == nil && s.isLinked)
        s.linkedOutage = nil
        s.linkedAt = nil
        #expect(s == SubjectState(kind: .faultRepair))

        var f = Fact(eventHash: 1, time: Timestamp(milliseconds: 2), action: .callback)
        f.satisfaction = 4
        f.area = "A7"
        #expect(f.satisfaction == 4 && f.area == "A7" && f.startAt == nil && f.reportedTo == nil)
        f.satisfaction = nil
        f.area = nil
        #expect(f == Fact(eventHash: 1, time: Timestamp(milliseconds: 2), action: .callback))
    }
}

extension StateLayoutTests {
    @Test func aCyclesRecordIsFortyEightBytesAndKeepsItsOptionalInstants() {
        // start 8, alarm revisions 8, verdict end 8, deadline 8, stage 2, bits 4, revision 2,
        // withdrawals 2, waiting 1 → 43 (with padding before bits), stride 48.
        #expect(MemoryLayout<StageMark>.stride == 48)
        var m = StageMark(stage: 1, start: 10, bits: 0)
        #expect(m.verdictEnd == nil && m.deadline == nil)
        m.deadline = 0  // the epoch is an instant, not "none"
        m.verdictEnd = -5
        #expect(m.deadline == 0 && m.verdictEnd == -5)
        m.deadline = nil
        #expect(m.deadline == nil && m == { var n = StageMark(stage: 1, start: 10, bits: 0); n.verdictEnd = -5; return n }())
        m.stage = 300
        #expect(m.stage == 300 && m.start == 10)
    }
}
